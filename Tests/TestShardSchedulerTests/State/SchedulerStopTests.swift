import TestShardModel
import TestShardScheduler
import Testing

/// Deadline, cancel and the no-workers limit: the run always ends, and says what did not run.
@Suite struct SchedulerStopTests {
    /// One worker running the first of four 100-second files (one per batch), deadline at 50 s with a
    /// 20 s grace.
    func runningAtTheDeadline() throws -> (SchedulerStateMachine, ShardAssignment) {
        var machine = try makeMachine(files(4, seconds: 100)) {
            $0.maxBatchSeconds = 100
            $0.deadline = 50
            $0.deadlineGrace = 20
            $0.leaseTimeout = 1000
        }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        return (machine, shard)
    }

    @Test func atTheDeadlineQueuedItemsEndAsNotRun() throws {
        var (machine, _) = try runningAtTheDeadline()
        let actions = machine.tick(now: 50)
        #expect(actions.finals.map(\.state) == Array(repeating: .notRun(.deadline), count: 3))
        #expect(actions.cancels.isEmpty)
    }

    @Test func aShardThatFinishesWithinTheGraceKeepsItsResults() throws {
        var (machine, shard) = try runningAtTheDeadline()
        _ = machine.tick(now: 50)
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 60)
        #expect(actions.finalState("f01.py") == .passed)
        let summary = try #require(actions.summary)
        #expect(summary.notRun == 3)
        #expect(summary.notRunEstimatedSeconds == 300)
        #expect(summary.stopReason == .deadline)
    }

    @Test func afterTheGraceRunningShardsAreToldToStop() throws {
        var (machine, shard) = try runningAtTheDeadline()
        _ = machine.tick(now: 50)
        let actions = machine.tick(now: 70)
        #expect(actions.cancels.map(\.lease) == [shard.lease])
        #expect(actions.cancels.map(\.reason) == [.stopped(.deadline)])
        #expect(actions.finalState("f01.py") == nil, "its answer is still awaited")
    }

    @Test func aShardThatDoesNotAnswerTheStopEndsWithoutResults() throws {
        var (machine, _) = try runningAtTheDeadline()
        _ = machine.tick(now: 50)
        _ = machine.tick(now: 70)
        let actions = machine.tick(now: 70 + machine.configuration.stopResultWait)
        #expect(actions.finalState("f01.py") == .notRun(.deadline))
        #expect(actions.summary?.notRunEstimatedSeconds == 400)
    }

    @Test func theStoppedShardsAnswerStillCounts() throws {
        // Four 10-second files in one batch; the deadline stops the shard while it runs the third.
        var machine = try makeMachine(files(4, seconds: 10)) {
            $0.deadline = 25
            $0.deadlineGrace = 5
            $0.minBatchFloorSeconds = 100
            $0.leaseTimeout = 1000
        }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        #expect(shard.items.count == 4)
        _ = machine.tick(now: 30)
        var answer = report(Array(shard.items.prefix(2)))
        answer.exit = ShardExit(kind: .cancelled)
        answer.lastStartedItem = shard.items[2]
        answer.itemsWithoutResults = Array(shard.items.suffix(2))
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: answer, now: 31)
        #expect(shard.items.prefix(2).allSatisfy { actions.finalState($0.id) == .passed }, "finished before the stop")
        #expect(shard.items.suffix(2).allSatisfy { actions.finalState($0.id) == .notRun(.deadline) })
        #expect(actions.summary?.notRun == 2)
    }

    @Test func anAnswerAfterTheStopWaitIsDiscarded() throws {
        var (machine, shard) = try runningAtTheDeadline()
        _ = machine.tick(now: 75)
        _ = machine.tick(now: 75 + machine.configuration.stopResultWait)
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 95)
        #expect(actions.discards.map(\.reason) == [.runFinished])
    }

    @Test func noWorkIsHandedOutAfterTheDeadline() throws {
        var (machine, _) = try runningAtTheDeadline()
        _ = machine.tick(now: 50)
        #expect(machine.workerJoined("w2", slots: 4, now: 51).assignments.isEmpty)
    }

    @Test func cancellingWithoutGraceStopsRunningShardsNow() throws {
        var (machine, shard) = try runningAtTheDeadline()
        let actions = machine.stop(reason: .cancelled, grace: 0, now: 10)
        #expect(actions.cancels.map(\.lease) == [shard.lease])
        let ended = machine.tick(now: 10 + machine.configuration.stopResultWait)
        #expect(ended.summary?.notRun == 4)
        #expect((actions.finals + ended.finals).allSatisfy { $0.state == .notRun(.cancelled) })
    }

    @Test func aDrainWithoutGraceLetsRunningShardsFinish() throws {
        var (machine, shard) = try runningAtTheDeadline()
        let drained = machine.stop(reason: .cancelled, grace: nil, now: 10)
        #expect(drained.cancels.isEmpty)
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 20)
        #expect(actions.finalState("f01.py") == .passed)
        #expect(actions.summary != nil)
    }

    @Test func withNoWorkerForTooLongTheRunEnds() throws {
        var machine = try makeMachine(files(2)) { $0.noWorkersTimeout = 300 }
        _ = machine.start(now: 0)
        let actions = machine.tick(now: 300)
        #expect(actions.summary?.notRun == 2)
        #expect(actions.finalState("f01.py") == .notRun(.noWorkers))
    }

    @Test func aTestRetryPendingAtTheDeadlineLeavesTheTestFailed() throws {
        var machine = try makeMachine(estimated([("a.py", 10)])) {
            $0.deadline = 50
            $0.leaseTimeout = 1000
        }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        _ = machine.workerDraining("w1", now: 1)  // so the retry stays queued
        _ = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items, status: .failed), now: 5)
        let actions = machine.tick(now: 50)
        #expect(actions.finalState("a.py") == .failed)
    }
}
