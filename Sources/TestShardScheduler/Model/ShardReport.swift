import TestShardModel

/// What a worker reports when a shard attempt ends: the per-test results and how the attempt ended.
public struct ShardReport: Hashable, Sendable {
    /// Every test result the runner's result file held (the JUnit, parsed). A test may appear twice
    /// (pytest reports a teardown error beside the call's result); the worse status counts.
    public var tests: [TestCaseResult]
    /// Items the worker knows ended without results (not run, or the result file lost them).
    public var itemsWithoutResults: [WorkItem]
    /// Items that ran but hold no tests (an empty file, everything deselected).
    public var itemsWithoutTests: [WorkItem]
    /// The item the runner was working on last, when the worker could tell (progress output). The
    /// scheduler uses it to isolate the culprit of a timeout or crash.
    public var lastStartedItem: WorkItem?
    /// How the attempt ended as a whole.
    public var exit: ShardExit
    /// The runner's wall time as the worker measured it (process start to exit); used to learn the
    /// per-shard start cost. `nil` falls back to the coordinator's view (start or assignment to result).
    public var wallSeconds: Double?
    /// The seconds the worker attributes to the shard's files (pytest: each file's collection and
    /// tests, start to finish), when it measured them; 0 otherwise. With the tests' own times it
    /// tells the work from the process start (`StartCostEstimator`).
    public var attributedSeconds: Double

    public init(
        tests: [TestCaseResult],
        itemsWithoutResults: [WorkItem] = [],
        itemsWithoutTests: [WorkItem] = [],
        lastStartedItem: WorkItem? = nil,
        exit: ShardExit,
        wallSeconds: Double? = nil,
        attributedSeconds: Double = 0
    ) {
        self.tests = tests
        self.itemsWithoutResults = itemsWithoutResults
        self.itemsWithoutTests = itemsWithoutTests
        self.lastStartedItem = lastStartedItem
        self.exit = exit
        self.wallSeconds = wallSeconds
        self.attributedSeconds = attributedSeconds
    }
}

/// One running shard as a worker's heartbeat names it.
public struct RunningShard: Hashable, Sendable {
    /// The lease the worker holds.
    public var lease: LeaseKey
    /// The item the runner is working on now, when the worker can tell.
    public var lastStartedItem: WorkItem?

    public init(_ lease: LeaseKey, lastStartedItem: WorkItem? = nil) {
        self.lease = lease
        self.lastStartedItem = lastStartedItem
    }
}
