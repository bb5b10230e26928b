/// Per test, per run, the attempts: the raw material for verdicts (P/F/K/X), flakiness scores,
/// failing streaks and NEW/ONGOING/FIXED (reference/report-anchors.md §8). Computing those is the
/// report's job; this is only what happened.
public struct VerdictHistory: Sendable, Hashable {
    /// The comparable runs, newest first; `runs[0]` is the run the history was asked for.
    public var runs: [StoredRun]
    /// Test id → one entry per run, aligned with ``runs``: that run's attempts of the test in retry
    /// order, or `[]` when the run has no attempt of it. Only tests with at least one attempt in
    /// these runs appear.
    public var attempts: [String: [[TestAttemptOutcome]]]

    public init(runs: [StoredRun], attempts: [String: [[TestAttemptOutcome]]]) {
        self.runs = runs
        self.attempts = attempts
    }
}
