import GRDB

/// One row of `duration_sample`: one measured (or imported) duration of one item, whatever its
/// outcome. The raw history; the planner reads the per-item windows (`file_duration_window`,
/// `test_duration_window`) instead.
public struct StoredSample: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "duration_sample"

    /// The row id, set when the store inserts the record.
    public var rowID: Int64?
    /// The item id: a file (`path`) or a test (`path::Class::test`).
    public var item: String
    /// The file part of the item.
    public var file: String
    public var runID: String
    /// Seconds.
    public var duration: Double
    public var outcome: StoredSample.Outcome
    /// Unix seconds.
    public var recordedAt: Double
    public var worker: String?
    public var source: StoredSample.Source

    public init(
        item: String,
        file: String,
        runID: String,
        duration: Double,
        outcome: StoredSample.Outcome,
        recordedAt: Double,
        worker: String?,
        source: StoredSample.Source
    ) {
        self.item = item
        self.file = file
        self.runID = runID
        self.duration = duration
        self.outcome = outcome
        self.recordedAt = recordedAt
        self.worker = worker
        self.source = source
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        rowID = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case rowID = "id"
        case item, file
        case runID = "run_id"
        case duration, outcome
        case recordedAt = "recorded_at"
        case worker, source
    }

    /// The table's columns, for queries.
    public enum Columns {
        public static let rowID = Column(CodingKeys.rowID)
        public static let item = Column(CodingKeys.item)
        public static let runID = Column(CodingKeys.runID)
        public static let outcome = Column(CodingKeys.outcome)
        public static let recordedAt = Column(CodingKeys.recordedAt)
    }
}
