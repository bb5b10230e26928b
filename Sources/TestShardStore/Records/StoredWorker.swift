import GRDB

/// One row of `run_worker`: a worker that joined a run. Recording the same `(runID, workerID)`
/// again updates the row (a reconnect, a state change, leaving).
public struct StoredWorker: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "run_worker"

    public var runID: String
    /// The id the coordinator gave the worker's session.
    public var workerID: String
    /// The name the worker reported (usually its host name plus a number).
    public var name: String
    public var host: String
    public var slots: Int
    /// The git revision of the worker's root, as it reported it.
    public var revision: String?
    /// Unix seconds.
    public var joinedAt: Double
    /// Unix seconds; `nil` while it is part of the run.
    public var leftAt: Double?
    public var state: State
    /// Why it was lost or refused, when it was.
    public var reason: String?

    public init(
        runID: String,
        workerID: String,
        name: String,
        host: String,
        slots: Int,
        revision: String? = nil,
        joinedAt: Double,
        leftAt: Double? = nil,
        state: State = .connected,
        reason: String? = nil
    ) {
        self.runID = runID
        self.workerID = workerID
        self.name = name
        self.host = host
        self.slots = slots
        self.revision = revision
        self.joinedAt = joinedAt
        self.leftAt = leftAt
        self.state = state
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case workerID = "worker_id"
        case name, host, slots, revision
        case joinedAt = "joined_at"
        case leftAt = "left_at"
        case state, reason
    }

    /// The table's columns, for queries.
    public enum Columns {
        public static let runID = Column(CodingKeys.runID)
        public static let joinedAt = Column(CodingKeys.joinedAt)
    }
}
