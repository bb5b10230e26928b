import GRDB
import TestShardModel

/// One row of `test_attempt`: one attempt of one test in an accepted shard attempt.
public struct StoredTestAttempt: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "test_attempt"

    /// The row id, set when the store inserts the record; ``HistoryStore/setSignatures(_:)`` uses it.
    public var rowID: Int64?
    public var runID: String
    /// The `shard_attempt` row this attempt came in; `nil` only for outcomes that arrived without
    /// a shard (none today).
    public var shardAttemptRowID: Int64?
    public var shardID: Int?
    public var shardAttempt: Int?
    /// `path::Class::test`, as the runner names it.
    public var testID: String
    public var file: String
    public var classname: String
    public var name: String
    /// 0 for the first attempt of this test in the run, 1 for the first retry, ...
    public var retryIndex: Int
    public var workerID: String?
    public var status: TestStatus
    /// Seconds.
    public var duration: Double
    public var failureType: String?
    public var failureMessage: String?
    public var failureDetails: String?
    public var failurePhase: TestPhase?
    public var skipReason: String?
    /// The failure's error-signature id (`reason-v1:…`), filled in by the report; `nil` before.
    public var signature: String?
    /// Whether a quarantine entry covered the test in this run.
    public var quarantined: Bool

    public init(
        runID: String,
        shardAttemptRowID: Int64? = nil,
        shardID: Int?,
        shardAttempt: Int?,
        testID: String,
        file: String,
        classname: String = "",
        name: String = "",
        retryIndex: Int = 0,
        workerID: String?,
        status: TestStatus,
        duration: Double,
        failure: TestFailure? = nil,
        skipReason: String? = nil,
        signature: String? = nil,
        quarantined: Bool = false
    ) {
        self.runID = runID
        self.shardAttemptRowID = shardAttemptRowID
        self.shardID = shardID
        self.shardAttempt = shardAttempt
        self.testID = testID
        self.file = file
        self.classname = classname
        self.name = name
        self.retryIndex = retryIndex
        self.workerID = workerID
        self.status = status
        self.duration = duration
        self.failureType = failure?.type
        self.failureMessage = failure?.message
        self.failureDetails = failure?.details
        self.failurePhase = failure?.phase
        self.skipReason = skipReason
        self.signature = signature
        self.quarantined = quarantined
    }

    /// A record for one parsed result of `attempt`, with the run, shard and worker taken from it.
    public init(result: TestCaseResult, in attempt: StoredShardAttempt, retryIndex: Int, quarantined: Bool = false) {
        self.init(
            runID: attempt.runID,
            shardAttemptRowID: attempt.rowID,
            shardID: attempt.shardID,
            shardAttempt: attempt.attempt,
            testID: result.id,
            file: result.file,
            classname: result.classname,
            name: result.name,
            retryIndex: retryIndex,
            workerID: attempt.workerID,
            status: result.status,
            duration: result.duration,
            failure: result.failure,
            skipReason: result.skipReason,
            quarantined: quarantined
        )
    }

    /// The failure as the model describes it, when there was one.
    public var failure: TestFailure? {
        guard let failureMessage else { return nil }
        return TestFailure(
            type: failureType,
            message: failureMessage,
            details: failureDetails ?? "",
            phase: failurePhase
        )
    }

    /// The attempt as the JUnit parser produced it.
    public var result: TestCaseResult {
        TestCaseResult(
            id: testID,
            file: file,
            classname: classname,
            name: name,
            status: status,
            duration: duration,
            failure: failure,
            skipReason: skipReason
        )
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        rowID = inserted.rowID
    }

    enum CodingKeys: String, CodingKey {
        case rowID = "id"
        case runID = "run_id"
        case shardAttemptRowID = "shard_attempt_id"
        case shardID = "shard_id"
        case shardAttempt = "shard_attempt"
        case testID = "test_id"
        case file, classname, name
        case retryIndex = "retry_index"
        case workerID = "worker_id"
        case status, duration
        case failureType = "failure_type"
        case failureMessage = "failure_message"
        case failureDetails = "failure_details"
        case failurePhase = "failure_phase"
        case skipReason = "skip_reason"
        case signature, quarantined
    }

    /// The table's columns, for queries.
    public enum Columns {
        public static let rowID = Column(CodingKeys.rowID)
        public static let runID = Column(CodingKeys.runID)
        public static let testID = Column(CodingKeys.testID)
        public static let retryIndex = Column(CodingKeys.retryIndex)
        public static let status = Column(CodingKeys.status)
        public static let signature = Column(CodingKeys.signature)
    }
}
