import TestShardModel
import TestShardScheduler

/// Items `name: seconds` in the given order.
func estimated(_ pairs: [(String, Double)]) -> [EstimatedItem] {
    pairs.map { EstimatedItem(WorkItem($0.0), estimatedSeconds: $0.1) }
}

/// `count` files `f01.py`, `f02.py`, … of `seconds` each.
func files(_ count: Int, seconds: Double = 10) -> [EstimatedItem] {
    (1...count).map { EstimatedItem(WorkItem(fileName($0)), estimatedSeconds: seconds) }
}

func fileName(_ number: Int) -> String { number < 10 ? "f0\(number).py" : "f\(number).py" }

/// A configuration for unit tests: no start cost to speak of, so batch sizes follow the estimates.
func testConfiguration(_ change: (inout SchedulerConfiguration) -> Void = { _ in }) -> SchedulerConfiguration {
    var configuration = SchedulerConfiguration()
    configuration.initialStartCost = 0
    configuration.noWorkersTimeout = nil
    change(&configuration)
    return configuration
}

func makeMachine(
    _ items: [EstimatedItem],
    resume: SchedulerResumeState? = nil,
    _ change: (inout SchedulerConfiguration) -> Void = { _ in }
) throws -> SchedulerStateMachine {
    try SchedulerStateMachine(items: items, configuration: testConfiguration(change), resume: resume)
}

/// One test result: `file::name` of `file`.
func testResult(_ id: String, _ status: TestStatus = .passed, duration: Double = 1) -> TestCaseResult {
    let file = WorkItem(id).file
    let name = WorkItem(id).test ?? "test"
    return TestCaseResult(
        id: id,
        file: file,
        classname: file,
        name: name,
        status: status,
        duration: duration,
        failure: status.isFailure ? TestFailure(message: "AssertionError") : nil
    )
}

/// A complete report: one test `item::test_one` per file item (the item itself for a test item), all
/// with `status` unless `statuses` says otherwise for a test id.
func report(
    _ items: [WorkItem],
    status: TestStatus = .passed,
    statuses: [String: TestStatus] = [:],
    duration: Double = 1
) -> ShardReport {
    let tests = items.map { item in
        let id = item.isWholeFile ? item.id + "::test_one" : item.id
        return testResult(id, statuses[id] ?? status, duration: duration)
    }
    let failed = tests.contains { $0.status.isFailure }
    return ShardReport(tests: tests, exit: ShardExit(kind: failed ? .testsFailed : .ok, code: failed ? 1 : 0))
}

/// A report of a shard that ended without results (`kind` timeout, crash, no results).
func emptyReport(_ kind: ShardExitKind, lastStarted: WorkItem? = nil, tests: [TestCaseResult] = []) -> ShardReport {
    ShardReport(tests: tests, lastStartedItem: lastStarted, exit: ShardExit(kind: kind, reason: "\(kind)"))
}

extension Array where Element == SchedulerAction {
    var assignments: [(worker: WorkerID, assignment: ShardAssignment)] {
        compactMap { if case .assign(let worker, let assignment) = $0 { (worker, assignment) } else { nil } }
    }

    var finals: [ItemFinal] {
        compactMap { if case .itemFinal(let final) = $0 { final } else { nil } }
    }

    func finalState(_ item: String) -> ItemFinalState? {
        finals.first { $0.item == WorkItem(item) }?.state
    }

    var discards: [DiscardedMessage] {
        compactMap { if case .discard(let message) = $0 { message } else { nil } }
    }

    var requeues: [(items: [WorkItem], reason: RequeueReason)] {
        compactMap { if case .itemsRequeued(let items, let reason, _) = $0 { (items, reason) } else { nil } }
    }

    var cancels: [(worker: WorkerID, lease: LeaseKey, reason: CancelReason)] {
        compactMap { if case .cancel(let worker, let lease, let reason) = $0 { (worker, lease, reason) } else { nil } }
    }

    var accepted: [ShardRecord] {
        compactMap { if case .recordAccepted(let record) = $0 { record } else { nil } }
    }

    var ended: [ShardRecord] {
        compactMap { if case .recordShardEnded(let record) = $0 { record } else { nil } }
    }

    var retries: [(test: String, attempt: Int, avoiding: [WorkerID])] {
        compactMap {
            if case .testRetryScheduled(let test, _, let attempt, let avoiding) = $0 {
                (test, attempt, avoiding)
            } else {
                nil
            }
        }
    }

    var summary: RunSummary? {
        for action in self { if case .runFinished(let summary) = action { return summary } }
        return nil
    }
}

/// Answers every assignment at once with `respond` (one second apart), until the run finishes or
/// `limit` results were sent; returns every action.
func runToEnd(
    _ machine: inout SchedulerStateMachine,
    startingWith initial: [SchedulerAction],
    now start: Double = 1,
    limit: Int = 10_000,
    respond: (WorkerID, ShardAssignment) -> ShardReport
) -> [SchedulerAction] {
    var all = initial
    var pending = initial.assignments
    var now = start
    var sent = 0
    while !pending.isEmpty, !machine.isFinished, sent < limit {
        let (worker, assignment) = pending.removeFirst()
        now += 1
        sent += 1
        let actions = machine.shardResultReceived(
            worker,
            lease: assignment.lease,
            report: respond(worker, assignment),
            now: now
        )
        all += actions
        pending += actions.assignments
    }
    return all
}
