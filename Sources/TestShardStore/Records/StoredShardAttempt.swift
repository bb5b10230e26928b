import GRDB
import TestShardModel

/// One row of `shard_attempt`: one hand-out of a shard to a worker slot and how it ended.
///
/// `(runID, shardID, attempt)` identifies an attempt. At most one *accepted* record and one
/// *discarded* record (a late result that arrived after the lease expired, kept for the execution
/// log but never counted) exist per attempt; a second record of either is refused.
public struct StoredShardAttempt: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "shard_attempt"

    /// The row id, set when the store inserts the record.
    public var rowID: Int64?
    public var runID: String
    public var shardID: Int
    /// 1 for the first hand-out of the shard, 2 for the next, ...
    public var attempt: Int
    public var workerID: String
    public var workerName: String?
    public var workerHost: String?
    /// The worker slot the shard ran in (the HTML timeline's lane).
    public var slot: Int?
    /// The items handed out, as sent. Stored as a JSON array.
    public var items: [String]
    /// The argument vector the worker ran, when it reported it. Stored as a JSON array.
    public var command: [String]
    /// Unix seconds.
    public var startedAt: Double
    /// Unix seconds.
    public var endedAt: Double?
    /// The timeout the shard was handed out with, in seconds.
    public var timeoutSeconds: Double?
    public var exitKind: ShardExitKind
    public var exitCode: Int32?
    public var exitSignal: Int32?
    public var exitReason: String?
    /// The last lines of the command's output. Stored as a JSON array.
    public var logTail: [String]
    /// What became of the result file (e.g. `parsed`, `missing`, `truncated`), as the worker said.
    public var junitState: String?
    /// `false` for a result that arrived after its lease expired: shown, never counted.
    public var accepted: Bool

    public init(
        runID: String,
        shardID: Int,
        attempt: Int,
        workerID: String,
        workerName: String? = nil,
        workerHost: String? = nil,
        slot: Int? = nil,
        items: [String],
        command: [String] = [],
        startedAt: Double,
        endedAt: Double? = nil,
        timeoutSeconds: Double? = nil,
        exit: ShardExit,
        logTail: [String] = [],
        junitState: String? = nil,
        accepted: Bool = true
    ) {
        self.runID = runID
        self.shardID = shardID
        self.attempt = attempt
        self.workerID = workerID
        self.workerName = workerName
        self.workerHost = workerHost
        self.slot = slot
        self.items = items
        self.command = command
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.timeoutSeconds = timeoutSeconds
        self.exitKind = exit.kind
        self.exitCode = exit.code
        self.exitSignal = exit.signal
        self.exitReason = exit.reason
        self.logTail = logTail
        self.junitState = junitState
        self.accepted = accepted
    }

    /// The attempt's end as the model describes it.
    public var exit: ShardExit {
        get { ShardExit(kind: exitKind, code: exitCode, signal: exitSignal, reason: exitReason) }
        set {
            exitKind = newValue.kind
            exitCode = newValue.code
            exitSignal = newValue.signal
            exitReason = newValue.reason
        }
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        rowID = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case rowID = "id"
        case runID = "run_id"
        case shardID = "shard_id"
        case attempt
        case workerID = "worker_id"
        case workerName = "worker_name"
        case workerHost = "worker_host"
        case slot, items, command
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case timeoutSeconds = "timeout_seconds"
        case exitKind = "exit_kind"
        case exitCode = "exit_code"
        case exitSignal = "exit_signal"
        case exitReason = "exit_reason"
        case logTail = "log_tail"
        case junitState = "junit_state"
        case accepted
    }

    /// The table's columns, for queries.
    public enum Columns {
        public static let rowID = Column(CodingKeys.rowID)
        public static let runID = Column(CodingKeys.runID)
        public static let shardID = Column(CodingKeys.shardID)
        public static let attempt = Column(CodingKeys.attempt)
        public static let startedAt = Column(CodingKeys.startedAt)
        public static let accepted = Column(CodingKeys.accepted)
    }
}
