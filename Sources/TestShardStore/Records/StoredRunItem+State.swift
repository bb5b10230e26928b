extension StoredRunItem {
    /// The final state of one expected item in a run. Stored in `run_item.final_state`; `nil` there
    /// means the run has not decided it yet.
    ///
    /// The cases cover the scheduler's `ItemFinalState` one for one (with `not_run` carrying its
    /// reason in `run_item.not_run_reason`) and the report's `ItemOutcome`, so nothing is lost on
    /// the way into the history.
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Every test of the item passed (skips allowed), with no failure before.
        case passed
        /// At least one test failed or errored on every attempt.
        case failed
        /// At least one test failed, then passed on a retry; none failed for good.
        case flaky
        /// Every test was skipped.
        case skipped
        /// The runner found no tests in it.
        case noTests = "no_tests"
        /// Run alone, it did not finish within the shard timeout: the hanging item.
        case timeout
        /// Run alone, the runner crashed or aborted on it.
        case crashed
        /// Run alone, the runner ended without a result for it (missing or truncated result file).
        case noResults = "no_results"
        /// Its shards were lost (worker gone, lease expired) too many times.
        case lost
        /// It never ran; `run_item.not_run_reason` says why (`deadline`, `cancelled`,
        /// `never_scheduled`, `refused: …`).
        case notRun = "not_run"

        /// Whether the item has real test results (as opposed to timeout, crash, lost, not run).
        public var hasResults: Bool {
            switch self {
            case .passed, .failed, .flaky, .skipped, .noTests: true
            case .timeout, .crashed, .noResults, .lost, .notRun: false
            }
        }
    }
}
