/// Planner input or settings that cannot be planned.
public struct PlannerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// A setting is out of range (shard count below 1, negative tolerance).
        public static let invalidConfiguration = Code("invalid configuration")
        /// Two files, or two tests of one file, have the same name.
        public static let duplicateItem = Code("duplicate item")
        /// A path or test name is empty, or a file path contains `::`.
        public static let invalidName = Code("invalid name")
        /// An estimate is negative, NaN or infinite.
        public static let invalidEstimate = Code("invalid estimate")
        public var description: String { name }
    }

    /// What kind of problem it is.
    public var code: Code
    /// The offending file or item id, when there is one.
    public var item: String?
    /// What was wrong, with the value, and what to do.
    public var message: String

    /// Creates an error.
    public init(code: Code, item: String? = nil, message: String) {
        self.code = code
        self.item = item
        self.message = message
    }

    public var description: String { "plan: \(message)" }
}
