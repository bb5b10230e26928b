import GRDB

/// One row of `run_item`: an item the run was expected to give a result for, and the final state
/// it got. The expected-vs-received comparison, coverage gaps and `--resume` all read this table.
public struct StoredRunItem: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "run_item"

    public var runID: String
    /// The item id (`path` or `path::test`).
    public var item: String
    /// The file part of the item.
    public var file: String
    /// The item's place in the inventory order, so the inventory reads back as it was given.
    public var position: Int
    /// The estimate the run planned with, in seconds (for the report's calibration section).
    public var estimate: Double?
    /// `nil` until the run decides it.
    public var finalState: State?
    /// Why an item without results has none (`deadline`, `lost_worker`, `refused: …`); free text
    /// chosen by the coordinator.
    public var reason: String?
    /// One more line for the report (the hanging item's last output line, the refusal text).
    public var detail: String?
    /// The shard attempt that decided the state, when one did (the culprit's shard for a timeout).
    public var shardID: Int?
    public var shardAttempt: Int?

    public init(
        runID: String,
        item: String,
        file: String,
        position: Int,
        estimate: Double? = nil,
        finalState: State? = nil,
        reason: String? = nil,
        detail: String? = nil,
        shardID: Int? = nil,
        shardAttempt: Int? = nil
    ) {
        self.runID = runID
        self.item = item
        self.file = file
        self.position = position
        self.estimate = estimate
        self.finalState = finalState
        self.reason = reason
        self.detail = detail
        self.shardID = shardID
        self.shardAttempt = shardAttempt
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case item, file, position, estimate
        case finalState = "final_state"
        case reason, detail
        case shardID = "shard_id"
        case shardAttempt = "shard_attempt"
    }

    /// The table's columns, for queries.
    public enum Columns {
        public static let runID = Column(CodingKeys.runID)
        public static let item = Column(CodingKeys.item)
        public static let position = Column(CodingKeys.position)
        public static let finalState = Column(CodingKeys.finalState)
        public static let reason = Column(CodingKeys.reason)
    }
}
