import TestShardModel
import TestShardScheduler
import Testing

/// Leases: heartbeats renew, silence expires, and every message is fenced by lease and worker.
@Suite struct SchedulerLeaseTests {
    /// One worker holding one shard of `count` ten-second files (lease timeout 30 s, shard timeout 1200 s).
    func oneShard(_ count: Int = 3) throws -> (SchedulerStateMachine, ShardAssignment) {
        var machine = try makeMachine(files(count)) { $0.batchFactor = 0.1 }
        let assignment = try #require(machine.workerJoined("w1", slots: 1, now: 0).assignments.first?.assignment)
        return (machine, assignment)
    }

    @Test func aHeartbeatRenewsTheLease() throws {
        var (machine, shard) = try oneShard()
        _ = machine.heartbeatReceived("w1", running: [RunningShard(shard.lease)], now: 20)
        let actions = machine.tick(now: 40)
        #expect(actions.cancels.isEmpty && actions.requeues.isEmpty)
    }

    @Test func aLeaseWithoutHeartbeatsExpiresAndItsItemsGoBack() throws {
        var (machine, shard) = try oneShard()
        let actions = machine.tick(now: 30)
        #expect(actions.cancels.map(\.reason) == [.leaseExpired])
        #expect(actions.requeues.map(\.reason) == [.leaseExpired])
        #expect(actions.ended.map(\.disposition) == [.leaseExpired])
        #expect(Set(actions.requeues.flatMap(\.items)) == Set(shard.items))
    }

    @Test func expiredItemsGoToAnotherWorker() throws {
        var (machine, _) = try oneShard()
        _ = machine.workerJoined("w2", slots: 1, now: 1)
        _ = machine.heartbeatReceived("w2", running: [], now: 25)
        let actions = machine.tick(now: 30)
        #expect(actions.assignments.map(\.worker) == ["w2"])
    }

    @Test func aLateResultAfterExpiryIsDiscardedAndNotCounted() throws {
        var (machine, shard) = try oneShard()
        _ = machine.tick(now: 30)
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 31)
        #expect(actions.discards.map(\.reason) == [.leaseEnded(.leaseExpired)])
        #expect(actions.accepted.isEmpty && actions.finals.isEmpty)
    }

    @Test func aDuplicateResultIsDiscarded() throws {
        var (machine, shard) = try oneShard()
        _ = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 10)
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 11)
        #expect(actions.discards.map(\.reason) == [.runFinished])
    }

    @Test func aDuplicateResultWhileTheRunGoesOnIsDiscardedAsAlreadyAccepted() throws {
        var machine = try makeMachine(files(10)) { $0.maxBatchSeconds = 20 }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        _ = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 10)
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 11)
        #expect(actions.discards.map(\.reason) == [.alreadyAccepted])
        #expect(actions.finals.isEmpty)
    }

    @Test func aResultFromAnotherWorkerIsDiscardedAndTheLeaseStays() throws {
        var (machine, shard) = try oneShard()
        _ = machine.workerJoined("w2", slots: 1, now: 1)
        let foreign = machine.shardResultReceived("w2", lease: shard.lease, report: report(shard.items), now: 5)
        #expect(foreign.discards.map(\.reason) == [.foreignWorker(owner: "w1")])
        #expect(machine.leases(of: "w1") == [shard.lease])
    }

    @Test func aResultForAShardNeverHandedOutIsDiscarded() throws {
        var (machine, _) = try oneShard()
        let actions = machine.shardResultReceived(
            "w1",
            lease: LeaseKey(shard: ShardID(number: 99), attempt: 1),
            report: report([]),
            now: 5
        )
        #expect(actions.discards.map(\.reason) == [.unknownLease])
    }

    @Test func aLostWorkersShardsAreRequeuedAtOnce() throws {
        var (machine, shard) = try oneShard()
        _ = machine.workerJoined("w2", slots: 1, now: 1)
        let actions = machine.workerLost("w1", now: 2)
        #expect(actions.ended.map(\.disposition) == [.workerLost])
        #expect(actions.requeues.map(\.reason) == [.workerLost])
        #expect(actions.assignments.map(\.worker) == ["w2"])
        #expect(Set(actions.assignments.flatMap(\.assignment.items)) == Set(shard.items))
    }

    @Test func aLostWorkerWithProgressRunsTheItemItWasOnAlone() throws {
        var (machine, shard) = try oneShard()
        _ = machine.shardProgress("w1", lease: shard.lease, lastStartedItem: shard.items[1], now: 3)
        let actions = machine.workerLost("w1", now: 4)
        #expect(actions.requeues.map(\.reason) == [.isolateAlone, .workerLost])
        #expect(actions.requeues.first?.items == [shard.items[1]])
    }

    @Test func aHeartbeatForAnEndedLeaseIsDiscardedAndTheShardCancelled() throws {
        var (machine, shard) = try oneShard()
        _ = machine.tick(now: 30)
        let actions = machine.heartbeatReceived("w1", running: [RunningShard(shard.lease)], now: 31)
        #expect(actions.discards.map(\.reason) == [.leaseEnded(.leaseExpired)])
        #expect(actions.cancels.map(\.reason) == [.leaseEnded])
    }

    @Test func aHeartbeatFromAnUnknownWorkerIsDiscarded() throws {
        var (machine, _) = try oneShard()
        let actions = machine.heartbeatReceived("stranger", running: [], now: 3)
        #expect(actions.discards.map(\.reason) == [.unknownWorker])
    }

    @Test func aShardPastTimeoutAndGraceIsCancelledAsATimeout() throws {
        var machine = try makeMachine(files(1)) {
            $0.shardTimeout = 100
            $0.hardStopGrace = 10
        }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        _ = machine.heartbeatReceived("w1", running: [RunningShard(shard.lease)], now: 90)
        let actions = machine.tick(now: 110)
        #expect(actions.cancels.map(\.reason) == [.hardTimeout])
        #expect(actions.finalState("f01.py") == .timeout)
    }

    @Test func aSilentWorkerGetsNoWorkUntilItSpeaksAgain() throws {
        var machine = try makeMachine(files(2)) { $0.maxBatchSeconds = 10 }
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        _ = machine.tick(now: 30)  // lease expired, w1 marked unresponsive
        let silent = machine.workRequested("w2", now: 31)
        #expect(silent.discards.map(\.reason) == [.unknownWorker])
        #expect(machine.snapshot(now: 31).eligibleWorkers == 0)
        let back = machine.heartbeatReceived("w1", running: [RunningShard(shard.lease)], now: 32)
        #expect(back.assignments.map(\.worker) == ["w1"])
    }

    @Test func theNextTimerIsTheEarliestLeaseExpiry() throws {
        var (machine, shard) = try oneShard()
        _ = machine.heartbeatReceived("w1", running: [RunningShard(shard.lease)], now: 12)
        #expect(machine.nextTimerDeadline(now: 12) == 42)
    }
}
