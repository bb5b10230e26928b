import TestShardModel
import TestShardScheduler
import Testing

/// Accepted results: attribution to items, final states, retries and flakiness.
@Suite struct SchedulerResultTests {
    @Test func passingTestsMakeTheItemPassed() throws {
        var machine = try makeMachine(files(1))
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 5)
        #expect(actions.finalState("f01.py") == .passed)
    }

    @Test func theRunFinishesOnceEveryItemIsFinal() throws {
        var machine = try makeMachine(files(2)) { $0.batchFactor = 0.1 }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 5)
        #expect(actions.summary?.passed == 2)
        #expect(actions.summary?.everyItemHasResult == true)
    }

    @Test func anEmptyRunFinishesAtStart() throws {
        var machine = try makeMachine([])
        #expect(machine.start(now: 0).summary?.items == 0)
    }

    @Test func parametrizedAndClassTestsBelongToTheirFile() throws {
        var machine = try makeMachine(estimated([("a.py", 1), ("b.py::test_split", 1)])) { $0.batchFactor = 0.1 }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let result = ShardReport(
            tests: [
                testResult("a.py::TestX::test_y[1-2]"),
                testResult("b.py::test_split[x]"),
                testResult("c.py::test_stray"),
            ],
            exit: ShardExit(kind: .ok)
        )
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: result, now: 5)
        let record = try #require(actions.accepted.first)
        #expect(record.tests.map(\.item) == ["a.py", "b.py::test_split"])
        #expect(record.unattributedTests.map(\.id) == ["c.py::test_stray"])
    }

    @Test func anItemWithoutTestsEndsAsNoTests() throws {
        var machine = try makeMachine(files(1))
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let result = ShardReport(tests: [], itemsWithoutTests: shard.items, exit: ShardExit(kind: .ok))
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: result, now: 5)
        #expect(actions.finalState("f01.py") == .noTests)
    }

    @Test func aFailedTestIsRetriedAsItsOwnItem() throws {
        var machine = try makeMachine(files(1))
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let actions = machine.shardResultReceived(
            "w1",
            lease: shard.lease,
            report: report(shard.items, status: .failed),
            now: 5
        )
        #expect(actions.retries.map(\.test) == ["f01.py::test_one"])
        #expect(actions.assignments.map(\.assignment.items) == [["f01.py::test_one"]])
    }

    @Test func aRetryGoesToAWorkerThatDidNotFailIt() throws {
        var machine = try makeMachine(files(1))
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        _ = machine.workerJoined("w2", slots: 1, now: 1)
        let actions = machine.shardResultReceived(
            "w1",
            lease: shard.lease,
            report: report(shard.items, status: .failed),
            now: 5
        )
        #expect(actions.assignments.map(\.worker) == ["w2"])
    }

    @Test func aRetryWaitsBrieflyForABusyOtherWorker() throws {
        var machine = try makeMachine(estimated([("long.py", 600), ("short.py", 10)])) {
            $0.maxBatchSeconds = 100
            $0.retryPreferenceWait = 20
        }
        let first = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let second = machine.workerJoined("w2", slots: 1, now: 0).assignments[0].assignment
        #expect(first.items == ["long.py"])
        _ = machine.heartbeatReceived("w1", running: [RunningShard(first.lease)], now: 10)
        let failed = machine.shardResultReceived(
            "w2",
            lease: second.lease,
            report: report(second.items, status: .failed),
            now: 10
        )
        #expect(failed.assignments.isEmpty)
        #expect(machine.nextTimerDeadline(now: 10) == 30)
    }

    @Test func aRetryGoesBackToTheSameWorkerOnceThePreferenceLapses() throws {
        var machine = try makeMachine(estimated([("long.py", 600), ("short.py", 10)])) {
            $0.maxBatchSeconds = 100
            $0.retryPreferenceWait = 20
        }
        let first = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let second = machine.workerJoined("w2", slots: 1, now: 0).assignments[0].assignment
        _ = machine.shardResultReceived(
            "w2",
            lease: second.lease,
            report: report(second.items, status: .failed),
            now: 10
        )
        _ = machine.heartbeatReceived("w1", running: [RunningShard(first.lease)], now: 25)
        _ = machine.heartbeatReceived("w2", running: [], now: 25)
        let actions = machine.tick(now: 30)
        #expect(actions.assignments.map(\.worker) == ["w2"])
    }

    @Test func aLoneWorkerRetriesItself() throws {
        var machine = try makeMachine(files(1))
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let actions = machine.shardResultReceived(
            "w1",
            lease: shard.lease,
            report: report(shard.items, status: .failed),
            now: 5
        )
        #expect(actions.assignments.map(\.worker) == ["w1"])
    }

    @Test func passAfterFailIsFlaky() throws {
        var machine = try makeMachine(files(1))
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let retry = machine.shardResultReceived(
            "w1",
            lease: shard.lease,
            report: report(shard.items, status: .failed),
            now: 5
        ).assignments[0].assignment
        let actions = machine.shardResultReceived("w1", lease: retry.lease, report: report(retry.items), now: 6)
        let final = try #require(actions.finals.first)
        #expect(final.state == .flaky)
        #expect(final.tests == [TestOutcome(id: "f01.py::test_one", verdict: .flaky, attempts: 2)])
    }

    @Test func failAfterFailIsFailedAndEveryAttemptIsRecorded() throws {
        var machine = try makeMachine(files(1))
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let first = machine.shardResultReceived(
            "w1",
            lease: shard.lease,
            report: report(shard.items, status: .failed),
            now: 5
        )
        let retry = first.assignments[0].assignment
        let second = machine.shardResultReceived(
            "w1",
            lease: retry.lease,
            report: report(retry.items, status: .failed),
            now: 6
        )
        #expect(second.finalState("f01.py") == .failed)
        #expect((first.accepted + second.accepted).flatMap(\.tests).map(\.attempt) == [1, 2])
        #expect(second.retries.isEmpty)
    }

    @Test func retriesStopAtTheRunsBudget() throws {
        var machine = try makeMachine(files(3)) {
            $0.maxRetriedTests = 2
            $0.batchFactor = 0.1
        }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let actions = machine.shardResultReceived(
            "w1",
            lease: shard.lease,
            report: report(shard.items, status: .failed),
            now: 5
        )
        #expect(actions.retries.count == 2)
        #expect(actions.contains(.notice(.retryBudgetExhausted(test: "f03.py::test_one"))))
        #expect(actions.finalState("f03.py") == .failed)
    }

    @Test func aTeardownErrorBesideAPassCountsAsTheWorse() throws {
        var machine = try makeMachine(files(1)) { $0.retries = 0 }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let result = ShardReport(
            tests: [testResult("f01.py::test_one"), testResult("f01.py::test_one", .error)],
            exit: ShardExit(kind: .testsFailed)
        )
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: result, now: 5)
        #expect(actions.finals.first?.tests == [TestOutcome(id: "f01.py::test_one", verdict: .error, attempts: 1)])
    }

    @Test func aRefusedShardGoesToAnotherWorker() throws {
        var machine = try makeMachine(files(2)) { $0.batchFactor = 0.1 }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        _ = machine.workerJoined("w2", slots: 1, now: 1)
        let actions = machine.shardRefused("w1", lease: shard.lease, reason: "outside include globs", now: 2)
        #expect(actions.ended.map(\.disposition) == [.refused])
        #expect(actions.assignments.map(\.worker) == ["w2"])
    }

    @Test func onlyTheNamedItemsAvoidTheRefusingWorker() throws {
        var machine = try makeMachine(files(2)) { $0.batchFactor = 0.1 }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let actions = machine.shardRefused("w1", lease: shard.lease, reason: "bad path", items: ["f01.py"], now: 2)
        #expect(actions.assignments.map(\.assignment.items) == [["f02.py"]])
    }

    @Test func anItemEveryWorkerRefusedEndsAsNotRunOnceNothingRuns() throws {
        var machine = try makeMachine(files(2)) { $0.batchFactor = 0.1 }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let refused = machine.shardRefused("w1", lease: shard.lease, reason: "bad path", items: ["f01.py"], now: 2)
        let rest = refused.assignments[0].assignment
        let actions = machine.shardResultReceived("w1", lease: rest.lease, report: report(rest.items), now: 3)
        #expect(actions.finalState("f01.py") == .notRun(.refused("bad path")))
        #expect(actions.summary?.notRun == 1)
    }

    @Test func aRefusalReportedAsAResultIsARefusal() throws {
        var machine = try makeMachine(files(1))
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let result = ShardReport(tests: [], exit: ShardExit(kind: .refused, reason: "profile missing"))
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: result, now: 2)
        #expect(actions.finalState("f01.py") == .notRun(.refused("profile missing")))
    }
}
