/// Everything the coordinator needs to pick an interrupted run up again (`run --resume RUN_ID`):
/// what was expected, what already came back, and what was decided.
public struct RunSnapshot: Sendable, Hashable {
    public var run: RunRecord
    /// The expected inventory in its original order, with final states where decided.
    public var items: [RunItemRecord]
    public var workers: [RunWorkerRecord]
    /// Accepted shard attempts in the order they were recorded (discarded late results are left
    /// out: they never count).
    public var shardAttempts: [ShardAttemptRecord]
    /// The test attempts of those shard attempts, in the order they were recorded.
    public var testAttempts: [TestAttemptRecord]

    public init(
        run: RunRecord,
        items: [RunItemRecord],
        workers: [RunWorkerRecord],
        shardAttempts: [ShardAttemptRecord],
        testAttempts: [TestAttemptRecord]
    ) {
        self.run = run
        self.items = items
        self.workers = workers
        self.shardAttempts = shardAttempts
        self.testAttempts = testAttempts
    }
}
