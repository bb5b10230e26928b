import GRDB

/// One row of `cluster_signature`: when a failure signature was first and last seen, and the
/// gardener's note about it, carried from run to run. Kept when old runs are pruned, so "NEW" and
/// "first seen" stay right after the raw attempts are gone.
public struct StoredSignature: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cluster_signature"

    /// The error-signature id (`reason-v1:…`).
    public var signature: String
    /// The normalized error text the id was made from, as last seen (for FIXED entries, which have
    /// no failure in the current run to show).
    public var title: String
    /// The files it hit in ``lastSeenRun``, sorted (to tell FIXED from "not run this time").
    /// Stored as a JSON array.
    public var lastFiles: [String]
    public var firstSeenRun: String
    /// Unix seconds.
    public var firstSeenAt: Double
    public var lastSeenRun: String
    /// Unix seconds.
    public var lastSeenAt: Double
    /// The run that saw it before ``lastSeenRun`` (so a run can still ask "seen before me?" after it
    /// recorded itself), or `nil` if only one run ever saw it.
    public var previousSeenRun: String?
    public var previousSeenAt: Double?
    /// How many distinct runs saw it.
    public var seenRuns: Int
    /// Free text a gardener attached ("tracked in JIRA-123"), carried forward; `nil` for none.
    public var note: String?

    public init(
        signature: String,
        title: String,
        lastFiles: [String] = [],
        firstSeenRun: String,
        firstSeenAt: Double,
        lastSeenRun: String,
        lastSeenAt: Double,
        previousSeenRun: String? = nil,
        previousSeenAt: Double? = nil,
        seenRuns: Int = 1,
        note: String? = nil
    ) {
        self.signature = signature
        self.title = title
        self.lastFiles = lastFiles
        self.firstSeenRun = firstSeenRun
        self.firstSeenAt = firstSeenAt
        self.lastSeenRun = lastSeenRun
        self.lastSeenAt = lastSeenAt
        self.previousSeenRun = previousSeenRun
        self.previousSeenAt = previousSeenAt
        self.seenRuns = seenRuns
        self.note = note
    }

    /// The last run other than `runID` that saw the signature, with its time; `nil` when no other
    /// run did (the signature is new in `runID`).
    public func lastSeen(before runID: String) -> (run: String, at: Double)? {
        if lastSeenRun != runID { return (lastSeenRun, lastSeenAt) }
        if let previousSeenRun, let previousSeenAt { return (previousSeenRun, previousSeenAt) }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case signature, title
        case lastFiles = "last_files"
        case firstSeenRun = "first_seen_run"
        case firstSeenAt = "first_seen_at"
        case lastSeenRun = "last_seen_run"
        case lastSeenAt = "last_seen_at"
        case previousSeenRun = "previous_seen_run"
        case previousSeenAt = "previous_seen_at"
        case seenRuns = "seen_runs"
        case note
    }

    /// The table's columns, for queries.
    public enum Columns {
        public static let signature = Column(CodingKeys.signature)
        public static let note = Column(CodingKeys.note)
    }
}
