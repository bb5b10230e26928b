/// How a shard attempt ended, as a whole. Per-test outcomes are separate; this is what the execution
/// log's "Exit" column shows.
public enum ShardExitKind: String, Codable, Sendable, CaseIterable {
    /// The command exited 0 and every item has results.
    case ok
    /// The command reported failing tests; the results are complete.
    case testsFailed = "tests_failed"
    /// The shard ran past its timeout and was killed with its whole process group.
    case timeout
    /// The command died from a signal, or exited in a way that left results incomplete.
    case crash
    /// The command ended but its result file is missing, empty or truncated.
    case noResults = "no_results"
    /// The worker went away (connection lost, lease expired) before reporting.
    case lost
    /// The worker refused the shard (an item it would not run, a missing profile).
    case refused
    /// The coordinator withdrew the shard (deadline, or the run ended).
    case cancelled

    /// Whether the attempt's test results can be trusted as complete for the items it ran.
    public var isCompleteRun: Bool { self == .ok || self == .testsFailed }
}

/// The end of one shard attempt: its kind plus what the operating system said.
public struct ShardExit: Codable, Sendable, Hashable {
    public var kind: ShardExitKind
    /// The process exit code, when the command exited normally.
    public var code: Int32?
    /// The signal that ended the command, when one did.
    public var signal: Int32?
    /// A one-line human reason for anything other than `ok`/`testsFailed`.
    public var reason: String?

    public init(kind: ShardExitKind, code: Int32? = nil, signal: Int32? = nil, reason: String? = nil) {
        self.kind = kind
        self.code = code
        self.signal = signal
        self.reason = reason
    }
}
