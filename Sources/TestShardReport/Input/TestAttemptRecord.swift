import TestShardModel

/// One attempt of one test, as the worker's result file said, tagged with where it ran.
public struct TestAttemptRecord: Codable, Sendable, Hashable {
    /// The parsed result (id, file, classname, name, status, duration, failure).
    public var result: TestCaseResult
    public var shardId: String
    public var shardAttempt: Int
    /// 0 for the first try of the test in this run, 1 for the first retry, …
    public var retryIndex: Int
    public var workerId: String?

    public init(result: TestCaseResult, shardId: String, shardAttempt: Int = 1, retryIndex: Int = 0, workerId: String?)
    {
        self.result = result
        self.shardId = shardId
        self.shardAttempt = shardAttempt
        self.retryIndex = retryIndex
        self.workerId = workerId
    }
}
