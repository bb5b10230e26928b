/// A configuration that cannot be used, said the way a person fixes it: which file, which key, what was
/// expected and what was found.
///
/// ```
/// testshard.toml: suite.shard_timeout: expected a duration like "20m" or a number of seconds, got "5x"
/// testshard.toml:7:12: invalid TOML: expected '=' after a key (line 7, column 12)
/// ```
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is; new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name, e.g. `unknown_key`.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// No config file where one was looked for.
        public static let fileNotFound = Code("file_not_found")
        /// The file exists but cannot be read, or is not UTF-8 text.
        public static let unreadable = Code("unreadable")
        /// The text is not valid TOML; `line` and `column` say where.
        public static let syntax = Code("syntax")
        /// A key the schema does not have (often a typo; the message suggests the closest allowed key).
        public static let unknownKey = Code("unknown_key")
        /// A value of the wrong TOML type (a string where an array was expected, …).
        public static let wrongType = Code("wrong_type")
        /// A value of the right type that is not acceptable (a bad glob, a negative count, …).
        public static let invalidValue = Code("invalid_value")
        /// A required key is absent.
        public static let missingKey = Code("missing_key")
        /// Two entries of a list share an id.
        public static let duplicateID = Code("duplicate_id")
        /// A name asked for by the caller (a category, a profile) that the config does not define.
        public static let unknownID = Code("unknown_id")

        public var description: String { name }
    }

    /// What kind of problem it is.
    public var code: Code
    /// The config file as it was named when loading (or the folder searched, for `fileNotFound` from
    /// `locate`).
    public var file: String
    /// The dotted key path, e.g. `suite.shard_timeout` or `area[2].globs[0]`; `nil` when the problem is
    /// the file as a whole.
    public var key: String?
    /// 1-based line of a syntax error.
    public var line: Int?
    /// 1-based column of a syntax error.
    public var column: Int?
    /// What was expected and what was found, with a hint on what to do.
    public var message: String

    public init(
        code: Code,
        file: String,
        key: String? = nil,
        line: Int? = nil,
        column: Int? = nil,
        message: String
    ) {
        self.code = code
        self.file = file
        self.key = key
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file: key: message`, or `file:line:column: message` for syntax errors (the form editors jump to).
    public var description: String {
        var out = file
        if let line {
            out += ":\(line)"
            if let column { out += ":\(column)" }
        }
        if let key, !key.isEmpty { out += ": \(key)" }
        return out + ": " + message
    }
}
