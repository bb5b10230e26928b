/// `[coordinator]`: lease and membership timing. All values are seconds.
public struct CoordinatorConfiguration: Sendable, Hashable {
    /// How long a handed-out shard stays leased without a heartbeat before its items go back to the
    /// queue (`lease_timeout`, default 30 s).
    public var leaseTimeoutSeconds: Double
    /// How often a worker renews its leases (`heartbeat_interval`, default 5 s; always below the lease
    /// timeout).
    public var heartbeatIntervalSeconds: Double
    /// How long `run --expect-workers N` holds dispatch waiting for N workers (`expect_workers_timeout`,
    /// default 2 min).
    public var expectWorkersTimeoutSeconds: Double

    /// The values used when `[coordinator]` is absent.
    public static let defaults = CoordinatorConfiguration(
        leaseTimeoutSeconds: 30,
        heartbeatIntervalSeconds: 5,
        expectWorkersTimeoutSeconds: 120
    )

    public init(leaseTimeoutSeconds: Double, heartbeatIntervalSeconds: Double, expectWorkersTimeoutSeconds: Double) {
        self.leaseTimeoutSeconds = leaseTimeoutSeconds
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
        self.expectWorkersTimeoutSeconds = expectWorkersTimeoutSeconds
    }
}
