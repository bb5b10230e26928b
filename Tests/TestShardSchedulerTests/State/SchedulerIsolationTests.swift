import TestShardModel
import TestShardScheduler
import Testing

/// Shards that end without results for some items: the culprit is isolated, everything else still
/// gets its real result, and caps end the run.
@Suite struct SchedulerIsolationTests {
    static let hanging: WorkItem = "f05.py"

    /// A worker that hangs on `culprit` (timeout, no results at all — pytest writes no JUnit when
    /// killed) and passes everything else; it says which item it was on only if `tellsProgress`.
    static func hangs(on culprit: WorkItem, tellsProgress: Bool) -> (WorkerID, ShardAssignment) -> ShardReport {
        { _, assignment in
            guard assignment.items.contains(culprit) else { return report(assignment.items) }
            return emptyReport(.timeout, lastStarted: tellsProgress ? culprit : nil)
        }
    }

    func tenFilesOneShard() throws -> (SchedulerStateMachine, [SchedulerAction]) {
        var machine = try makeMachine(files(10)) { $0.batchFactor = 0.5 }
        let actions = machine.workerJoined("w1", slots: 2, now: 0)
        #expect(actions.assignments.count == 1)
        return (machine, actions)
    }

    @Test func aTimeoutWithTheLastStartedItemRunsItAloneAndTheRestApart() throws {
        var (machine, start) = try tenFilesOneShard()
        let shard = start.assignments[0].assignment
        let actions = machine.shardResultReceived(
            "w1",
            lease: shard.lease,
            report: emptyReport(.timeout, lastStarted: Self.hanging),
            now: 10
        )
        #expect(actions.requeues.map(\.reason) == [.isolateAlone, .isolateRest])
        #expect(actions.requeues.first?.items == [Self.hanging])
        #expect(actions.requeues.last?.items.count == 9)
    }

    @Test func aTimeoutWithoutTheLastStartedItemBisects() throws {
        var (machine, start) = try tenFilesOneShard()
        let shard = start.assignments[0].assignment
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: emptyReport(.timeout), now: 10)
        #expect(actions.requeues.map(\.reason) == [.bisect, .bisect])
        #expect(actions.requeues.map(\.items.count) == [5, 5])
        #expect(actions.assignments.map(\.assignment.kind) == [.isolation, .isolation])
    }

    @Test(arguments: [true, false])
    func theHangingItemAloneEndsAsTimeoutAndTheOtherNineGetTheirResults(tellsProgress: Bool) throws {
        var (machine, start) = try tenFilesOneShard()
        let all = runToEnd(
            &machine,
            startingWith: start,
            respond: Self.hangs(on: Self.hanging, tellsProgress: tellsProgress)
        )
        #expect(all.finalState("f05.py") == .timeout)
        #expect(all.finals.filter { $0.state == .passed }.count == 9)
        #expect(all.finals.count == 10)
        #expect(all.summary?.timeout == 1)
    }

    @Test func aHardStoppedShardIsIsolatedLikeATimeout() throws {
        var machine = try makeMachine(files(4)) {
            $0.shardTimeout = 200
            $0.hardStopGrace = 5
            $0.leaseTimeout = 1000
            $0.batchFactor = 0.5
        }
        _ = machine.workerJoined("w1", slots: 1, now: 0)
        let actions = machine.tick(now: 205)
        #expect(actions.requeues.map(\.reason) == [.bisect, .bisect])
    }

    @Test func aCrashKeepsTheResultsBeforeItAndIsolatesTheItemItWasOn() throws {
        var (machine, start) = try tenFilesOneShard()
        let shard = start.assignments[0].assignment
        let done = Array(shard.items.prefix(4))
        let crash = ShardReport(
            tests: report(done).tests,
            lastStartedItem: shard.items[4],
            exit: ShardExit(kind: .crash, signal: 11)
        )
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: crash, now: 10)
        #expect(actions.finals.map(\.item) == done)
        #expect(actions.requeues.first?.items == [shard.items[4]])
        #expect(actions.requeues.last?.items == Array(shard.items.suffix(5)))
    }

    @Test func withoutProgressTheItemOfTheLastResultIsSuspectAfterACrash() throws {
        var (machine, start) = try tenFilesOneShard()
        let shard = start.assignments[0].assignment
        let crash = ShardReport(tests: report(Array(shard.items.prefix(3))).tests, exit: ShardExit(kind: .crash))
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: crash, now: 10)
        #expect(actions.finals.map(\.item) == Array(shard.items.prefix(2)))
        #expect(actions.accepted.first?.unfinishedItems == Array(shard.items.suffix(8)))
    }

    @Test func aCrashingItemAloneEndsAsCrashedWithItsPartialResultsRecorded() throws {
        var machine = try makeMachine(files(1))
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let partial = ShardReport(
            tests: [testResult("f01.py::test_before", .failed)],
            lastStartedItem: "f01.py",
            exit: ShardExit(kind: .crash, signal: 9)
        )
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: partial, now: 10)
        #expect(actions.finalState("f01.py") == .crashed)
        #expect(actions.accepted.first?.tests.map(\.result.id) == ["f01.py::test_before"])
        #expect(actions.retries.isEmpty)
    }

    @Test func anItemMissingFromACompleteRunIsRunAloneThenEndsAsNoResults() throws {
        var machine = try makeMachine(files(3)) { $0.batchFactor = 0.5 }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        #expect(shard.items.count == 3)
        let all = runToEnd(&machine, startingWith: [.assign("w1", shard)]) { _, assignment in
            let present = assignment.items.filter { $0 != "f02.py" }
            return ShardReport(tests: report(present).tests, exit: ShardExit(kind: .ok))
        }
        #expect(all.finalState("f02.py") == .noResults)
        #expect(all.finalState("f01.py") == .passed)
        #expect(all.finalState("f03.py") == .passed)
    }

    @Test func anItemLostWithItsWorkerTooOftenEndsAsLost() throws {
        var machine = try makeMachine(files(1)) { $0.maxLostRequeues = 3 }
        var actions: [SchedulerAction] = []
        for round in 0..<3 {
            let worker = WorkerID("w\(round)")
            _ = machine.workerJoined(worker, slots: 1, now: Double(round))
            actions = machine.workerLost(worker, now: Double(round) + 0.5)
        }
        #expect(actions.finalState("f01.py") == .lost)
        #expect(actions.summary?.lost == 1)
    }

    @Test func aPinnedPieceHandedOutAgainKeepsItsShardWithTheNextAttempt() throws {
        var (machine, start) = try tenFilesOneShard()
        let shard = start.assignments[0].assignment
        let split = machine.shardResultReceived("w1", lease: shard.lease, report: emptyReport(.timeout), now: 10)
        let piece = split.assignments[0].assignment
        _ = machine.workerJoined("w2", slots: 1, now: 11)
        let lost = machine.workerLost("w1", now: 12)
        let again = try #require(lost.assignments.first { $0.assignment.items == piece.items }?.assignment)
        #expect(again.shard == piece.shard)
        #expect(again.attempt == 2)
    }

    @Test func itemsThatKeepLandingInFailingShardsEndUpAlone() throws {
        // Every shard with more than one item crashes without saying where: only running alone helps.
        var machine = try makeMachine(files(8)) {
            $0.maxIsolationRounds = 2
            $0.batchFactor = 0.25
        }
        let start = machine.workerJoined("w1", slots: 4, now: 0)
        let all = runToEnd(&machine, startingWith: start) { _, assignment in
            assignment.items.count > 1 ? emptyReport(.crash) : report(assignment.items)
        }
        #expect(all.summary?.passed == 8)
        #expect(all.assignments.map(\.assignment.items.count).max() == 8)
    }
}
