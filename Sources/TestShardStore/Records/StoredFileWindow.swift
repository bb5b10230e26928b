import Foundation
import GRDB

/// One row of `file_duration_window`: the newest passing durations of one whole file, kept up to
/// date in the same transaction as the samples, so that planning reads one short row per file
/// instead of scanning every sample. A table of its own (not shared with the far more numerous
/// test windows) so that loading every file's window is one sequential scan of a small table.
struct StoredFileWindow: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "file_duration_window"

    /// The file, relative to the suite root.
    var file: String
    /// Passing durations, newest first, in ``DurationBlob`` form.
    var durations: Data
    /// Unix seconds of the newest sample in the window.
    var updatedAt: Double
    /// How many passing samples ever went into the window.
    var passingSamples: Int

    enum CodingKeys: String, CodingKey {
        case file, durations
        case updatedAt = "updated_at"
        case passingSamples = "passing_samples"
    }

    /// The table's columns, for queries.
    enum Columns {
        static let file = Column(CodingKeys.file)
        static let durations = Column(CodingKeys.durations)
    }
}
