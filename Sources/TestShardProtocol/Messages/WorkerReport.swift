/// What an authenticated worker tells the coordinator's scheduler: the worker → coordinator
/// messages after the handshake. `CoordinatorConnectionStateMachine` forwards only these.
public enum WorkerReport: Hashable, Sendable {
    /// Renew the leases of the listed attempts.
    case heartbeat(HeartbeatMessage)
    /// A shard attempt's command started.
    case shardStarted(ShardStartedMessage)
    /// A shard attempt ended (discard it if the attempt is no longer the current lease).
    case shardResult(ShardResultMessage)
    /// The worker will not run a shard attempt; requeue it, preferably elsewhere.
    case refuse(RefuseMessage)
    /// The worker leaves; requeue `handed_back` now.
    case goodbye(GoodbyeMessage)
}
