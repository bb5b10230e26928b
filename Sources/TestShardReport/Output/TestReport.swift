import TestShardModel

/// A test's verdict over all its attempts in this run.
public enum TestVerdict: String, Codable, Sendable, Hashable {
    case passed
    case failed
    /// Failed and passed in this run.
    case flaky
    case skipped
    /// Known from history but without a result now (its file did not run).
    case notRun = "not_run"
}

/// One test that is worth showing (see `GardenerReport.tests`).
public struct TestReport: Codable, Sendable, Hashable {
    public var id: String
    public var file: String
    public var name: String
    public var verdict: TestVerdict
    public var quarantined: Bool
    /// The cause category of its (first) failure's cluster.
    public var category: CauseCategory?
    public var attempts: [TestAttemptReport]
    public var history: TestHistoryReport
    public var flakiness: FlakinessScore?
}

/// One attempt of a test.
public struct TestAttemptReport: Codable, Sendable, Hashable {
    public var shard: String
    public var shardAttempt: Int
    public var retry: Int
    public var worker: String?
    public var status: TestStatus
    public var durationSeconds: Double
    public var phase: TestPhase?
    public var errorType: String?
    /// The crash message (raw, at most 500 characters).
    public var message: String?
    /// The cluster (`r1:…`) of a failed attempt.
    public var signature: String?
}

/// Where a unit stands against history.
public struct TestHistoryReport: Codable, Sendable, Hashable {
    public var status: HistoryStatus
    /// Consecutive comparable runs failing, this one included (ONGOING ≥ 2).
    public var ageRuns: Int
    /// The first run of the failing streak.
    public var sinceRun: String?
    /// Verdicts oldest → newest, this run last: `P` pass, `F` fail, `K` flaky, `X` excluded/not run.
    public var verdicts: String
}
