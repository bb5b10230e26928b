import TestShardModel

/// What a restarted coordinator knows of a run it is resuming (`run --resume RUN_ID`): what it
/// recorded from `itemFinal`, `recordAccepted` and `assign` before it died.
///
/// Items final here are not scheduled again. Accepted results of items not yet final are replayed, so
/// their retries continue where they stopped. Everything else runs again.
public struct SchedulerResumeState: Hashable, Sendable, Codable {
    /// Items already final, with their states.
    public var finalItems: [WorkItem: ItemFinalState]
    /// Accepted shard records in the order they were accepted.
    public var accepted: [ShardRecord]
    /// The highest shard number handed out, so new shards do not reuse identifiers.
    public var lastShardNumber: Int

    public init(finalItems: [WorkItem: ItemFinalState], accepted: [ShardRecord] = [], lastShardNumber: Int = 0) {
        self.finalItems = finalItems
        self.accepted = accepted
        self.lastShardNumber = lastShardNumber
    }
}
