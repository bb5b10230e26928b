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
    /// Tests (`file::test`) to leave out of the whole-file items: a file split into its tests runs
    /// them as their own items, and its whole-file item runs only the rest (tests without history).
    public var deselect: [WorkItem]

    public init(
        shardID: String,
        attempt: Int,
        items: [WorkItem],
        timeoutSeconds: Double,
        profile: String? = nil,
        deselect: [WorkItem] = []
    ) {
        self.shardID = shardID
        self.attempt = attempt
        self.items = items
        self.timeoutSeconds = timeoutSeconds
        self.profile = profile
        self.deselect = deselect
    }
}

extension AssignMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case shardID = "shard_id"
        case attempt
        case items
        case timeoutSeconds = "timeout_seconds"
        case profile
        case deselect
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.shardID = try container.decodeShardID(forKey: .shardID)
        self.attempt = try container.decodeAttempt(forKey: .attempt)
        self.items = try container.decode([WorkItem].self, forKey: .items)
        if items.isEmpty { throw container.invalid(.items, "must list at least one item") }
        self.timeoutSeconds = try container.decodePositiveSeconds(forKey: .timeoutSeconds)
        self.profile = try container.decodeIfPresent(String.self, forKey: .profile)
        // Added after version 1 shipped: absent from older coordinators, so optional.
        self.deselect = try container.decodeIfPresent([WorkItem].self, forKey: .deselect) ?? []
        if let whole = deselect.first(where: \.isWholeFile) {
            throw container.invalid(.deselect, "lists \(whole.id), which is not a file::test id")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(shardID, forKey: .shardID)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(items, forKey: .items)
        try container.encode(timeoutSeconds, forKey: .timeoutSeconds)
        try container.encode(profile, forKey: .profile)
        if !deselect.isEmpty { try container.encode(deselect, forKey: .deselect) }
    }
}
