import TestShardModel
import TestShardScheduler
import Testing

/// Resuming after a coordinator crash: final items are not run again, recorded results are replayed.
@Suite struct SchedulerResumeTests {
    @Test func itemsAlreadyFinalAreNotScheduledAgain() throws {
        let resume = SchedulerResumeState(finalItems: ["f01.py": .passed, "f02.py": .failed], lastShardNumber: 3)
        var machine = try makeMachine(files(3), resume: resume)
        let actions = machine.workerJoined("w1", slots: 1, now: 0)
        #expect(actions.assignments.map(\.assignment.items) == [["f03.py"]])
    }

    @Test func newShardsContinueAfterTheLastRecordedNumber() throws {
        let resume = SchedulerResumeState(finalItems: ["f01.py": .passed], lastShardNumber: 7)
        var machine = try makeMachine(files(2), resume: resume)
        let actions = machine.workerJoined("w1", slots: 1, now: 0)
        #expect(actions.assignments.first?.assignment.shard == ShardID(number: 8))
    }

    @Test func theSummaryCountsItemsFinalBeforeTheResume() throws {
        let resume = SchedulerResumeState(finalItems: ["f01.py": .failed])
        var machine = try makeMachine(files(2), resume: resume)
        let shard = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let actions = machine.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 5)
        #expect(actions.summary?.failed == 1)
        #expect(actions.summary?.passed == 1)
        #expect(actions.finals.map(\.item) == ["f02.py"])
    }

    @Test func aRecordedFailureResumesWithItsRetryNotTheWholeFile() throws {
        // Before the crash: f01.py ran, its test failed, the retry had not run yet.
        var before = try makeMachine(files(1))
        let shard = before.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let failed = before.shardResultReceived(
            "w1",
            lease: shard.lease,
            report: report(shard.items, status: .failed),
            now: 5
        )
        let resume = SchedulerResumeState(finalItems: [:], accepted: failed.accepted, lastShardNumber: 2)

        var after = try makeMachine(files(1), resume: resume)
        let actions = after.workerJoined("w2", slots: 1, now: 100)
        #expect(actions.assignments.map(\.assignment.items) == [["f01.py::test_one"]])
    }

    @Test func aResumedRetryThatPassesMakesTheItemFlaky() throws {
        var before = try makeMachine(files(1))
        let shard = before.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let failed = before.shardResultReceived(
            "w1",
            lease: shard.lease,
            report: report(shard.items, status: .failed),
            now: 5
        )
        let resume = SchedulerResumeState(finalItems: [:], accepted: failed.accepted, lastShardNumber: 2)

        var after = try makeMachine(files(1), resume: resume)
        let retry = after.workerJoined("w2", slots: 1, now: 100).assignments[0].assignment
        let actions = after.shardResultReceived("w2", lease: retry.lease, report: report(retry.items), now: 110)
        #expect(actions.finalState("f01.py") == .flaky)
    }

    @Test func anAcceptedResultWhoseFinalWasNotRecordedIsFinalOnStart() throws {
        var before = try makeMachine(files(1)) { $0.retries = 0 }
        let shard = before.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let passed = before.shardResultReceived("w1", lease: shard.lease, report: report(shard.items), now: 5)
        let resume = SchedulerResumeState(finalItems: [:], accepted: passed.accepted)

        var after = try makeMachine(files(1), resume: resume)
        let actions = after.start(now: 100)
        #expect(actions.finalState("f01.py") == .passed)
        #expect(actions.summary?.passed == 1)
    }
}
