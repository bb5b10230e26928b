import TestShardModel

/// A shard handed to a worker: run these items with the configured command, within the timeout.
public struct ShardAssignment: Hashable, Sendable, Codable {
    /// Why these items travel together.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A batch sized by guided self-scheduling from the longest-first queue.
        case batch
        /// A piece of a shard that ended without results, run apart to find the culprit (one item
        /// alone, or half of the unfinished items).
        case isolation
    }

    /// The shard's identifier (`s0001`).
    public let shard: ShardID
    /// Which hand-out of this shard, from 1; with `shard` the lease every message must name.
    public let attempt: Int
    /// The items, longest estimate first.
    public let items: [WorkItem]
    /// Seconds after which the worker must kill the shard's process group and report a timeout.
    public let timeout: Double
    /// The sum of the items' estimates (for logs and the timeline).
    public let estimatedSeconds: Double
    /// Why these items are together.
    public let kind: Kind

    /// The lease this hand-out is.
    public var lease: LeaseKey { LeaseKey(shard: shard, attempt: attempt) }

    public init(
        shard: ShardID,
        attempt: Int,
        items: [WorkItem],
        timeout: Double,
        estimatedSeconds: Double,
        kind: Kind
    ) {
        self.shard = shard
        self.attempt = attempt
        self.items = items
        self.timeout = timeout
        self.estimatedSeconds = estimatedSeconds
        self.kind = kind
    }
}
