/// A command that could not be started.
public struct ProcessRunnerError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The program was not found on `PATH`, or is not an executable file.
        public static let programNotFound = Code("program not found")
        /// The log file could not be created.
        public static let logNotWritable = Code("log not writable")
        /// The operating system refused to start the process (bad working directory, limits).
        public static let spawnFailed = Code("spawn failed")
        public var description: String { name }
    }

    public var code: Code
    /// What was wrong, with the offending value, and what to do.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
