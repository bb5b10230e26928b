import TestShardModel

/// Why a worker will not run a shard: the first item it would not touch, and the rule it broke.
public struct ItemRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// Empty, or holds NUL, a line break or an empty path segment.
        public static let malformed = Code("malformed")
        /// Starts with `/`: items are relative to the suite root.
        public static let absolute = Code("absolute")
        /// Has a `..` or `.` segment.
        public static let dotSegment = Code("dot segment")
        /// Starts with `-`, so a runner would read it as an option.
        public static let looksLikeOption = Code("looks like an option")
        /// Not matched by the include globs (or matched by an exclude).
        public static let outsideGlobs = Code("outside the include globs")
        /// Resolves (through a symlink) to somewhere outside the suite root.
        public static let escapesRoot = Code("escapes the suite root")
        /// No regular file there.
        public static let missing = Code("missing")
        public var description: String { name }
    }

    public var code: Code
    /// The offending item.
    public var item: WorkItem
    /// What was wrong and what to do, naming the item.
    public var message: String

    public init(code: Code, item: WorkItem, message: String) {
        self.code = code
        self.item = item
        self.message = message
    }

    public var description: String { message }
}
