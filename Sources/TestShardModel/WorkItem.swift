/// One unit of work that the scheduler hands out and a worker runs.
///
/// An item is either a whole test file, named by its path relative to the suite root
/// (`tests/api/test_users.py`), or — when a long file was split so that the run can go faster —
/// one test of that file, named as the runner names it (`tests/api/test_users.py::TestUsers::test_create`).
///
/// The identifier is the wire form, the history key and the sort key: items order by it, so every
/// tie in planning and scheduling is broken the same way on every machine.
public struct WorkItem: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Separates the file from the test inside an item identifier (pytest's node id separator).
    public static let separator = "::"

    /// The full identifier: `path` or `path::test`.
    public let id: String

    /// Creates an item from its identifier (`path` or `path::test`).
    public init(_ id: String) {
        self.id = id
    }

    /// Creates an item for a whole file (`test == nil`) or for one test of a file.
    public init(file: String, test: String? = nil) {
        if let test {
            self.id = file + Self.separator + test
        } else {
            self.id = file
        }
    }

    /// The file part: everything before the first `::`.
    public var file: String {
        guard let cut = separatorOffset else { return id }
        return String(decoding: id.utf8.prefix(cut), as: UTF8.self)
    }

    /// The test part (everything after the first `::`), or `nil` for a whole file.
    public var test: String? {
        guard let cut = separatorOffset else { return nil }
        return String(decoding: id.utf8.dropFirst(cut + 2), as: UTF8.self)
    }

    /// Whether this item stands for a whole file rather than one of its tests.
    public var isWholeFile: Bool { separatorOffset == nil }

    /// The UTF-8 offset of the first `::`. A byte scan: planning splits thousands of ids, and
    /// Foundation's `range(of:)` costs microseconds per call.
    private var separatorOffset: Int? {
        var previousWasColon = false
        for (offset, byte) in id.utf8.enumerated() {
            if byte == UInt8(ascii: ":") {
                if previousWasColon { return offset - 1 }
                previousWasColon = true
            } else {
                previousWasColon = false
            }
        }
        return nil
    }

    public var description: String { id }

    public static func < (lhs: WorkItem, rhs: WorkItem) -> Bool { lhs.id < rhs.id }
}

extension WorkItem: Codable {
    public init(from decoder: any Decoder) throws {
        self.id = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id)
    }
}

extension WorkItem: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self.init(value)
    }
}
