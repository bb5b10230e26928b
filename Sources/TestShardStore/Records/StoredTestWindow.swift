import Foundation
import GRDB

/// One row of `test_duration_window`: the newest passing durations of one test, read per file
/// when the planner considers splitting that file into its tests.
struct StoredTestWindow: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "test_duration_window"

    /// The test's item id, `path::Class::test`.
    var testID: String
    /// The file part of the test id; windows are looked up by it.
    var file: String
    /// Passing durations, newest first, in ``DurationBlob`` form.
    var durations: Data
    /// Unix seconds of the newest sample in the window.
    var updatedAt: Double
    /// How many passing samples ever went into the window.
    var passingSamples: Int

    enum CodingKeys: String, CodingKey {
        case testID = "test_id"
        case file, durations
        case updatedAt = "updated_at"
        case passingSamples = "passing_samples"
    }

    /// The table's columns, for queries.
    enum Columns {
        static let testID = Column(CodingKeys.testID)
        static let file = Column(CodingKeys.file)
    }
}
