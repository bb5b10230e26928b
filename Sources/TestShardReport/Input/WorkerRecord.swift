/// One worker that joined the run.
public struct WorkerRecord: Codable, Sendable, Hashable {
    /// The coordinator's id for the worker (`w3`).
    public var id: String
    /// The name the worker gave (defaults to its host name).
    public var name: String
    public var host: String
    /// Concurrent shard slots it offered.
    public var slots: Int
    public var joinedAt: Double
    /// When it left (clean drain or lost); `nil` if it stayed to the end.
    public var leftAt: Double?
    /// Whether it went away without handing back its work (connection lost, lease expired).
    public var lost: Bool
    /// Why it was lost, when known (`heartbeat timeout`, `connection reset`).
    public var lostReason: String?

    public init(
        id: String,
        name: String? = nil,
        host: String,
        slots: Int,
        joinedAt: Double,
        leftAt: Double? = nil,
        lost: Bool = false,
        lostReason: String? = nil
    ) {
        self.id = id
        self.name = name ?? host
        self.host = host
        self.slots = slots
        self.joinedAt = joinedAt
        self.leftAt = leftAt
        self.lost = lost
        self.lostReason = lostReason
    }
}
