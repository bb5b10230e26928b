/// One command to run: what, where, with which environment, for how long.
public struct ProcessSpec: Sendable, Hashable {
    /// The argument vector; the first word is the program, looked up on the `PATH` of
    /// `environment` unless it contains a `/` (then it is a path, relative to `workingDirectory`).
    /// No shell is involved.
    public var arguments: [String]
    /// The folder the command runs in.
    public var workingDirectory: String
    /// The complete environment of the command (nothing is inherited implicitly).
    public var environment: [String: String]
    /// Where standard output and standard error go, interleaved (created or truncated).
    public var logPath: String
    /// Seconds after which the command and everything it started are torn down; `nil` for none.
    public var timeout: Double?
    /// Seconds between SIGINT and SIGTERM in a teardown. pytest, on SIGINT, stops and still writes
    /// its JUnit for the tests that finished; this is the time it gets to do so.
    public var interruptGrace: Double
    /// Seconds between SIGTERM and SIGKILL in a teardown.
    public var terminateGrace: Double
    /// How many of the log's last lines `ProcessOutcome.logTail` keeps.
    public var tailLines: Int

    public init(
        arguments: [String],
        workingDirectory: String,
        environment: [String: String],
        logPath: String,
        timeout: Double? = nil,
        interruptGrace: Double = 5,
        terminateGrace: Double = 2,
        tailLines: Int = 50
    ) {
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.logPath = logPath
        self.timeout = timeout
        self.interruptGrace = interruptGrace
        self.terminateGrace = terminateGrace
        self.tailLines = tailLines
    }
}
