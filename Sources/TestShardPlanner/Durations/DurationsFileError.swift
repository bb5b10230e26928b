/// A durations file that cannot be read, naming the entry that is wrong.
public struct DurationsFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The bytes are not JSON.
        public static let invalidJSON = Code("invalid JSON")
        /// The document (or its `durations` member) is not a JSON object.
        public static let notAnObject = Code("not an object")
        /// The object has no entries.
        public static let empty = Code("empty")
        /// An entry's value is not a number (a string, `true`, `null`, an object, an array).
        public static let notANumber = Code("not a number")
        /// An entry's value is below zero.
        public static let negative = Code("negative")
        /// An entry's value is NaN or infinite.
        public static let notFinite = Code("not finite")
        /// An entry's name is empty, or has an empty file or test part around `::`.
        public static let badName = Code("bad name")
        /// A file has both a whole-file entry and per-test entries, so its time would count twice.
        public static let mixedEntries = Code("mixed entries")
        public var description: String { name }
    }

    /// What kind of problem it is.
    public var code: Code
    /// The name of the offending entry, when one entry is to blame.
    public var entry: String?
    /// What was wrong, with the value, and what to do.
    public var message: String

    /// Creates an error.
    public init(code: Code, entry: String? = nil, message: String) {
        self.code = code
        self.entry = entry
        self.message = message
    }

    public var description: String { "durations file: \(message)" }
}
