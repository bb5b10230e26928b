/// One attempt of one shard, as named on the wire: `{"shard_id": "s0042", "attempt": 2}`.
///
/// Used where a worker lists shards (heartbeat `running`, goodbye `handed_back`).
public struct ShardAttemptRef: Hashable, Sendable, CustomStringConvertible {
    /// The coordinator's shard id, e.g. `s0042`.
    public var shardID: String
    /// The attempt number, starting at 1; a lease is valid for one attempt only.
    public var attempt: Int

    public init(shardID: String, attempt: Int) {
        self.shardID = shardID
        self.attempt = attempt
    }

    public var description: String { "\(shardID)#\(attempt)" }
}

extension ShardAttemptRef: Codable {
    enum CodingKeys: String, CodingKey {
        case shardID = "shard_id"
        case attempt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.shardID = try container.decodeShardID(forKey: .shardID)
        self.attempt = try container.decodeAttempt(forKey: .attempt)
    }
}
