import TestShardModel

/// Coordinator → worker: run these items as one shard attempt.
///
/// The coordinator sends only items and a profile *name*; the worker builds the command from its
/// own config, so whoever can reach a worker cannot make it run anything else.
public struct AssignMessage: Hashable, Sendable {
    public var shardID: String
    public var attempt: Int
    /// Files or `file::test` node ids, relative to the suite root. The worker checks each one
    /// (relative, inside the root, matching its include globs) before running anything.
    public var items: [WorkItem]
    /// Seconds after which the worker kills the command's process group.
    public var timeoutSeconds: Double
    /// The name of a profile in the worker's config, or `nil` for the default.
    public var profile: String?

    public init(shardID: String, attempt: Int, items: [WorkItem], timeoutSeconds: Double, profile: String? = nil) {
        self.shardID = shardID
        self.attempt = attempt
        self.items = items
        self.timeoutSeconds = timeoutSeconds
        self.profile = profile
    }
}

extension AssignMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case shardID = "shard_id"
        case attempt
        case items
        case timeoutSeconds = "timeout_seconds"
        case profile
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.shardID = try container.decodeShardID(forKey: .shardID)
        self.attempt = try container.decodeAttempt(forKey: .attempt)
        self.items = try container.decode([WorkItem].self, forKey: .items)
        if items.isEmpty { throw container.invalid(.items, "must list at least one item") }
        self.timeoutSeconds = try container.decodePositiveSeconds(forKey: .timeoutSeconds)
        self.profile = try container.decodeIfPresent(String.self, forKey: .profile)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(shardID, forKey: .shardID)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(items, forKey: .items)
        try container.encode(timeoutSeconds, forKey: .timeoutSeconds)
        try container.encode(profile, forKey: .profile)
    }
}
