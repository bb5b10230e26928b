/// How a command ended.
public struct ProcessOutcome: Sendable, Hashable {
    /// What the operating system reported for the command's own process.
    public enum Termination: Sendable, Hashable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it (one of the teardown's, or its own crash).
        case signaled(Int32)
    }

    public var termination: Termination
    /// Whether the timeout fired and the teardown ran.
    public var timedOut: Bool
    /// Whether the run was cancelled (a cancel handle or the calling task) and the teardown ran.
    public var cancelled: Bool
    /// Whether processes of the command's group outlived it and were killed afterwards (a
    /// background server a test forgot, a grandchild ignoring signals).
    public var killedStragglers: Bool
    /// Seconds from start to end, teardown included.
    public var wallSeconds: Double
    /// The process id, which is also the process group and session id.
    public var processID: Int32
    /// The last lines of the log, each cut to 500 characters, ANSI colours removed.
    public var logTail: [String]

    public init(
        termination: Termination,
        timedOut: Bool,
        cancelled: Bool,
        killedStragglers: Bool,
        wallSeconds: Double,
        processID: Int32,
        logTail: [String]
    ) {
        self.termination = termination
        self.timedOut = timedOut
        self.cancelled = cancelled
        self.killedStragglers = killedStragglers
        self.wallSeconds = wallSeconds
        self.processID = processID
        self.logTail = logTail
    }

    /// The exit status, when the command exited by itself.
    public var exitCode: Int32? {
        if case .exited(let code) = termination { return code }
        return nil
    }

    /// The signal that ended the command, if one did.
    public var signal: Int32? {
        if case .signaled(let signal) = termination { return signal }
        return nil
    }
}
