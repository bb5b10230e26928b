import Foundation
import GRDB

/// One row of `report`: the run's `report.json`, byte for byte, so `report RUN_ID` can render it
/// again exactly as it was.
public struct StoredReport: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "report"

    public var runID: String
    /// The JSON document, stored as a BLOB (bytes are kept exactly; nothing is re-encoded).
    public var json: Data

    public init(runID: String, json: Data) {
        self.runID = runID
        self.json = json
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case json
    }

    /// The table's columns, for queries.
    public enum Columns {
        public static let runID = Column(CodingKeys.runID)
    }
}
