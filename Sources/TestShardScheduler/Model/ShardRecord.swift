import TestShardModel

/// One test result as the scheduler accepted it: the runner's result plus which item and which
/// attempt of that test it is.
public struct RecordedTest: Hashable, Sendable, Codable {
    /// The result as the worker reported it.
    public let result: TestCaseResult
    /// The run item it belongs to (a file, or a test of a split file).
    public let item: WorkItem
    /// Which attempt of this test: 1 for the first run, 2 for the first retry, …
    public let attempt: Int

    public init(result: TestCaseResult, item: WorkItem, attempt: Int) {
        self.result = result
        self.item = item
        self.attempt = attempt
    }
}

/// The end of one shard attempt, for the execution log and the history: who ran what, how it ended,
/// and (when accepted) the test results to store.
public struct ShardRecord: Hashable, Sendable, Codable {
    /// How the lease ended, from the scheduler's point of view.
    public enum Disposition: String, Hashable, Sendable, Codable {
        /// The worker's result was accepted (its exit may still be a timeout or crash).
        case accepted
        /// The worker's connection was lost with the shard running.
        case workerLost = "worker_lost"
        /// No heartbeat renewed the lease in time.
        case leaseExpired = "lease_expired"
        /// No result came within the shard timeout plus the hard-stop grace; the coordinator cancelled it.
        case hardStopped = "hard_stopped"
        /// The coordinator cancelled it because the run stopped (deadline, cancel).
        case cancelled
        /// The worker refused it.
        case refused
    }

    public let lease: LeaseKey
    public let worker: WorkerID
    /// The items handed out, in hand-out order.
    public let items: [WorkItem]
    public let kind: ShardAssignment.Kind
    public let disposition: Disposition
    /// The exit as the worker reported it, or as the scheduler concluded (`lost`, `timeout`, `cancelled`).
    public let exit: ShardExit
    public let assignedAt: Double
    /// When the worker said it started the command, if it did.
    public let startedAt: Double?
    public let endedAt: Double
    /// The command the worker ran, as it reported it.
    public let command: [String]?
    /// The item the runner was on last, when known.
    public let lastStartedItem: WorkItem?
    /// The accepted results (empty unless `disposition == .accepted`). Every result here is counted
    /// once: results of a fenced attempt never appear.
    public let tests: [RecordedTest]
    /// Results that matched none of the shard's items (logged and stored, counted for no item).
    public let unattributedTests: [TestCaseResult]
    /// Items of the shard without an accepted result: they were requeued or ended (see the other actions).
    public let unfinishedItems: [WorkItem]

    public init(
        lease: LeaseKey,
        worker: WorkerID,
        items: [WorkItem],
        kind: ShardAssignment.Kind,
        disposition: Disposition,
        exit: ShardExit,
        assignedAt: Double,
        startedAt: Double?,
        endedAt: Double,
        command: [String]?,
        lastStartedItem: WorkItem?,
        tests: [RecordedTest],
        unattributedTests: [TestCaseResult],
        unfinishedItems: [WorkItem]
    ) {
        self.lease = lease
        self.worker = worker
        self.items = items
        self.kind = kind
        self.disposition = disposition
        self.exit = exit
        self.assignedAt = assignedAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.command = command
        self.lastStartedItem = lastStartedItem
        self.tests = tests
        self.unattributedTests = unattributedTests
        self.unfinishedItems = unfinishedItems
    }
}
