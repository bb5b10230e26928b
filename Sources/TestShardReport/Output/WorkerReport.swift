/// One worker's share of the run (worklog §3.3).
public struct WorkerReport: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var host: String
    public var slots: Int
    public var joinedAt: Double
    public var leftAt: Double?
    public var lost: Bool
    public var lostReason: String?
    public var shardAttempts: Int
    /// Attempts that ended other than OK or TESTS_FAILED.
    public var problemAttempts: Int
    /// Failed test attempts that ran on it.
    public var testFailures: Int
    /// Summed attempt durations.
    public var busySeconds: Double
    /// `busySeconds / (slots × time present)`.
    public var utilization: Double
    /// Clusters with most of their failures on this worker.
    public var concentratedClusters: [String]
}
