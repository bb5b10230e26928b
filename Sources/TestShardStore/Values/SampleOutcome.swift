/// How the execution behind a duration sample ended. Only ``passed`` samples feed the duration
/// window the planner reads: a failing test often stops early and a timed-out one is cut at the
/// limit, so their durations say little about the next run.
public enum SampleOutcome: String, Codable, Sendable, CaseIterable {
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
