extension StoredSample {
    /// How the execution behind a duration sample ended. Only ``passed`` samples feed the duration
    /// windows the planner reads: a failing test often stops early and a timed-out one is cut at the
    /// limit, so their durations say little about the next run. The raw values are those of the
    /// planner's `SampleOutcome`.
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        /// The item passed; the duration is a real estimate input.
        case passed
        /// An assertion failed.
        case failed
        /// Setup, teardown, collection or the process failed.
        case error
        /// The runner skipped it.
        case skipped
        /// It was killed at the shard timeout; the duration is only a lower bound.
        case timeout
    }
}
