/// Worker → coordinator, every `heartbeat_interval` seconds: the shard attempts still running.
/// Each one listed renews its lease.
public struct HeartbeatMessage: Hashable, Sendable, Codable {
    /// The attempts the worker is running now.
    public var running: [ShardAttemptRef]

    public init(running: [ShardAttemptRef]) {
        self.running = running
    }
}
