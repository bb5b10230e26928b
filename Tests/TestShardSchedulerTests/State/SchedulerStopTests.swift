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

    @Test func afterTheGraceRunningShardsAreCancelledAndTheRunEnds() throws {
        var (machine, shard) = try runningAtTheDeadline()
        _ = machine.tick(now: 50)
        let actions = machine.tick(now: 70)
        #expect(actions.cancels.map(\.lease) == [shard.lease])
        #expect(actions.cancels.map(\.reason) == [.stopped(.deadline)])
        #expect(actions.finalState("f01.py") == .notRun(.deadline))
        #expect(actions.summary?.notRunEstimatedSeconds == 400)
    }

    @Test func aResultAfterTheCancelIsDiscarded() throws {
        var (machine, shard) = try runningAtTheDeadline()
        _ = machine.tick(now: 75)
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 76)
        #expect(actions.discards.map(\.reason) == [.runFinished])
    }

    @Test func noWorkIsHandedOutAfterTheDeadline() throws {
        var (machine, _) = try runningAtTheDeadline()
        _ = machine.tick(now: 50)
        #expect(machine.workerJoined("w2", slots: 4, now: 51).assignments.isEmpty)
    }

    @Test func cancellingWithoutGraceEndsTheRunNow() throws {
        var (machine, shard) = try runningAtTheDeadline()
        let actions = machine.stop(reason: .cancelled, grace: 0, now: 10)
        #expect(actions.cancels.map(\.lease) == [shard.lease])
        #expect(actions.summary?.notRun == 4)
        #expect(actions.finals.allSatisfy { $0.state == .notRun(.cancelled) })
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
