/// A configuration value the report cannot use. The builder never throws (a finished run always
/// gets a report): it skips the bad value and lists the error in the report's appendix. Call
/// `ReportConfiguration.validate()` at startup to refuse such a config before the run.
public struct ReportInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of value was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        /// A triage rule's `message` or `type` is not a valid regular expression.
        public static let badRuleRegex = Code(rawValue: "bad_rule_regex")
        /// A project mask is not a valid regular expression or has more than one capture group.
        public static let badMask = Code(rawValue: "bad_mask")
        /// An area or category glob does not parse.
        public static let badGlob = Code(rawValue: "bad_glob")
        /// A date is not `YYYY-MM-DD`.
        public static let badDate = Code(rawValue: "bad_date")
        /// A stored report has a schema this version does not read.
        public static let unsupportedSchema = Code(rawValue: "unsupported_schema")
        public var description: String { rawValue }
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
