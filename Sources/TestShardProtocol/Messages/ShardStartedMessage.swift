/// Worker → coordinator: a shard attempt's command has started.
public struct ShardStartedMessage: Hashable, Sendable {
    public var shardID: String
    public var attempt: Int
    /// The worker slot (0-based) running it.
    public var slot: Int
    /// The argument vector the worker runs, from its own config (for the report's repro line).
    public var command: [String]
    /// Unix seconds.
    public var startedAt: Double

    public init(shardID: String, attempt: Int, slot: Int, command: [String], startedAt: Double) {
        self.shardID = shardID
        self.attempt = attempt
        self.slot = slot
        self.command = command
        self.startedAt = startedAt
    }
}

extension ShardStartedMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case shardID = "shard_id"
        case attempt
        case slot
        case command
        case startedAt = "started_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.shardID = try container.decodeShardID(forKey: .shardID)
        self.attempt = try container.decodeAttempt(forKey: .attempt)
        self.slot = try container.decodeInt(forKey: .slot, in: 0...HelloMessage.maximumSlots)
        self.command = try container.decode([String].self, forKey: .command)
        self.startedAt = try container.decode(Double.self, forKey: .startedAt)
    }
}
