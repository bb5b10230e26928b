/// Coordinator → worker: authentication succeeded; the worker is registered and may get work.
public struct WelcomeMessage: Hashable, Sendable {
    /// The id the coordinator gave this worker for this connection (`w3`).
    public var workerID: String
    /// Seconds between heartbeats the worker must keep.
    public var heartbeatInterval: Double
    /// Seconds without a heartbeat after which the worker's leases expire.
    public var leaseTimeout: Double
    /// The run joined (the same as in `challenge`).
    public var runID: String

    public init(workerID: String, heartbeatInterval: Double, leaseTimeout: Double, runID: String) {
        self.workerID = workerID
        self.heartbeatInterval = heartbeatInterval
        self.leaseTimeout = leaseTimeout
        self.runID = runID
    }
}

extension WelcomeMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case workerID = "worker_id"
        case heartbeatInterval = "heartbeat_interval"
        case leaseTimeout = "lease_timeout"
        case runID = "run_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.workerID = try container.decodeIdentifier(forKey: .workerID)
        self.heartbeatInterval = try container.decodePositiveSeconds(forKey: .heartbeatInterval)
        self.leaseTimeout = try container.decodePositiveSeconds(forKey: .leaseTimeout)
        self.runID = try container.decodeIdentifier(forKey: .runID)
    }
}
