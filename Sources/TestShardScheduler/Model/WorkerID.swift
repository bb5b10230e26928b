/// A connected worker, named by the coordinator shell (for example `host-a#1234`).
///
/// The scheduler only compares identifiers: a worker that reconnects under the same identifier is the
/// same worker to it (its running shards stay leased until their heartbeats stop).
public struct WorkerID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral,
    Codable
{
    /// The identifier as the shell chose it.
    public let rawValue: String

    /// Wraps `rawValue`.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var description: String { rawValue }

    public static func < (lhs: WorkerID, rhs: WorkerID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension WorkerID {
    /// Encoded as its plain string.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
