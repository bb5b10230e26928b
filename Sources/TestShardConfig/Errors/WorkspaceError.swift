/// A failure while listing the suite's files or asking git about the checkout. The message names the
/// folder or the command that failed and what it said.
public struct WorkspaceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is; new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name, e.g. `git_failed`.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// A folder under the suite root could not be listed (missing root, permissions).
        public static let unreadableFolder = Code("unreadable_folder")
        /// A git command exited with an error (its stderr is in the message).
        public static let gitFailed = Code("git_failed")
        /// No `git` executable on `PATH`, where one was needed.
        public static let gitUnavailable = Code("git_unavailable")
        /// The folder is not inside a git checkout, where one was needed.
        public static let notAGitCheckout = Code("not_a_git_checkout")
        /// A revision git does not know.
        public static let unknownRevision = Code("unknown_revision")

        public var description: String { name }
    }

    /// What kind of problem it is.
    public var code: Code
    /// What failed and what to do.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
