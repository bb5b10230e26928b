/// A shard: one composition of items handed to one worker, numbered in the order the run made them
/// and written `s0001`, `s0002`, … (more digits once past `s9999`).
///
/// A shard handed out again unchanged (its worker was lost, or it was refused) keeps its identifier
/// and gets the next attempt number; `(shard, attempt)` is the lease that fences results.
public struct ShardID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The shard's number, from 1.
    public let number: Int

    /// The shard with this number.
    public init(number: Int) {
        self.number = number
    }

    /// Parses the written form `s0001`; `nil` for anything else (a remote peer may send garbage).
    public init?(_ text: String) {
        guard text.hasPrefix("s"), text.count >= 2 else { return nil }
        let digits = text.dropFirst()
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits), number > 0 else {
            return nil
        }
        self.number = number
    }

    public var description: String {
        let digits = String(number)
        return "s" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    public static func < (lhs: ShardID, rhs: ShardID) -> Bool { lhs.number < rhs.number }
}

/// One hand-out of a shard: the fencing token every heartbeat and result must carry.
public struct LeaseKey: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The shard handed out.
    public let shard: ShardID
    /// Which hand-out of that shard, from 1.
    public let attempt: Int

    /// The lease of `shard`'s hand-out number `attempt`.
    public init(shard: ShardID, attempt: Int) {
        self.shard = shard
        self.attempt = attempt
    }

    public var description: String { "\(shard)#\(attempt)" }

    public static func < (lhs: LeaseKey, rhs: LeaseKey) -> Bool {
        (lhs.shard, lhs.attempt) < (rhs.shard, rhs.attempt)
    }
}

extension ShardID {
    /// Encoded in its written form, `s0001`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = ShardID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(text)\" is not a shard id (s0001, s0002, …)"
            )
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
