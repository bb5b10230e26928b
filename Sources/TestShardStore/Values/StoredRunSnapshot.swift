/// Everything the coordinator needs to pick an interrupted run up again (`run --resume RUN_ID`):
/// what was expected, what already came back, and what was decided.
public struct StoredRunSnapshot: Sendable, Hashable {
    public var run: StoredRun
    /// The expected inventory in its original order, with final states where decided.
    public var items: [StoredRunItem]
    public var workers: [StoredWorker]
    /// Accepted shard attempts in the order they were recorded (discarded late results are left
    /// out: they never count).
    public var shardAttempts: [StoredShardAttempt]
    /// The test attempts of those shard attempts, in the order they were recorded.
    public var testAttempts: [StoredTestAttempt]

    public init(
        run: StoredRun,
        items: [StoredRunItem],
        workers: [StoredWorker],
        shardAttempts: [StoredShardAttempt],
        testAttempts: [StoredTestAttempt]
    ) {
        self.run = run
        self.items = items
        self.workers = workers
        self.shardAttempts = shardAttempts
        self.testAttempts = testAttempts
    }
}
