/// Coordinator → worker: stop this shard attempt (its lease was withdrawn, or the run is ending).
/// The worker kills the command's process group and reports nothing further for the attempt.
public struct CancelMessage: Hashable, Sendable {
    public var shardID: String
    public var attempt: Int
    /// Why, for the worker's log.
    public var reason: String

    public init(shardID: String, attempt: Int, reason: String) {
        self.shardID = shardID
        self.attempt = attempt
        self.reason = reason
    }
}

extension CancelMessage: Codable {
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
