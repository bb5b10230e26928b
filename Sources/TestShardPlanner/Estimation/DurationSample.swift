import TestShardModel

/// How the run that produced a duration sample ended for that item.
///
/// Only `passed` samples are durations: a failed test often stops early, an errored one may not
/// have run at all, a skipped one did nothing, and a timed-out one was cut at the limit. Counting
/// any of them would pull the estimate towards the wrong value (pytest-split#78).
public enum SampleOutcome: String, Codable, Sendable, CaseIterable {
    /// The item ran to the end and passed: its time is a real duration.
    case passed
    /// An assertion failed; the item may have stopped early.
    case failed
    /// The item could not run or crashed outside its assertions.
    case error
    /// The runner skipped the item.
    case skipped
    /// The item was killed at its time limit; the time is a floor, not a duration.
    case timeout

    /// The outcome that a parsed test status maps to (a runner never reports `timeout` itself).
    public init(_ status: TestStatus) {
        switch status {
        case .passed: self = .passed
        case .failed: self = .failed
        case .error: self = .error
        case .skipped: self = .skipped
        }
    }

    /// Whether a sample with this outcome counts as a duration.
    public var countsAsDuration: Bool { self == .passed }
}

/// One recorded duration of one item (a file or a `path::test`), as the history store keeps it.
public struct DurationSample: Codable, Sendable, Hashable {
    /// Seconds the item took.
    public var seconds: Double
    /// How the item ended in that run.
    public var outcome: SampleOutcome
    /// When the sample was taken, as any number that grows with time (Unix seconds, a run
    /// sequence number). Only the order matters: the estimator keeps the most recent samples.
    public var recordedAt: Double

    /// Creates a sample.
    public init(seconds: Double, outcome: SampleOutcome = .passed, recordedAt: Double) {
        self.seconds = seconds
        self.outcome = outcome
        self.recordedAt = recordedAt
    }
}
