/// Worker → coordinator: the worker will not run this shard attempt (an item outside its include
/// globs, an unsafe path, a missing profile, or it is shutting down).
public struct RefuseMessage: Hashable, Sendable {
    public var shardID: String
    public var attempt: Int
    /// Why, for the report.
    public var reason: String

    public init(shardID: String, attempt: Int, reason: String) {
        self.shardID = shardID
        self.attempt = attempt
        self.reason = reason
    }
}

extension RefuseMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case shardID = "shard_id"
        case attempt
        case reason
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.shardID = try container.decodeShardID(forKey: .shardID)
        self.attempt = try container.decodeAttempt(forKey: .attempt)
        self.reason = try container.decode(String.self, forKey: .reason)
    }
}
