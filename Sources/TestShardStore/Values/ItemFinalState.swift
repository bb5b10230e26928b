/// The final state of one expected item (a file, or a test of a split file) in a run. Stored in
/// `run_item.final_state`; `nil` there means the run has not decided it yet.
public enum ItemFinalState: String, Codable, Sendable, CaseIterable {
    /// Every test of the item passed (or was skipped) on its last attempt, with no failure before.
    case passed
    /// At least one test of the item failed on every attempt.
    case failed
    /// At least one test failed and then passed on a retry; nothing failed for good.
    case flaky
    /// Every test of the item was skipped.
    case skipped
    /// The item has no result; `run_item.not_run_reason` says why (timeout, lost worker,
    /// collection error, never scheduled).
    case notRun = "not_run"
}
