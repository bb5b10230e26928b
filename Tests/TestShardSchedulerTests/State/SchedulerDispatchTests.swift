import TestShardModel
import TestShardScheduler
import Testing

@Suite struct SchedulerDispatchTests {
    @Test func aBatchListsItemsLongestFirstTiesById() throws {
        var machine = try makeMachine(estimated([("c.py", 5), ("a.py", 30), ("d.py", 5), ("b.py", 50)])) {
            $0.batchFactor = 0.1
        }
        let actions = machine.workerJoined("w1", slots: 1, now: 0)
        #expect(actions.assignments.map(\.assignment.items) == [["b.py", "a.py", "c.py", "d.py"]])
    }

    @Test func theFirstShardIsS0001Attempt1WithTheShardTimeout() throws {
        var machine = try makeMachine(files(3)) { $0.shardTimeout = 600 }
        let assignment = try #require(machine.workerJoined("w1", slots: 1, now: 0).assignments.first?.assignment)
        #expect(assignment.shard.description == "s0001")
        #expect(assignment.attempt == 1)
        #expect(assignment.timeout == 600)
        #expect(assignment.kind == .batch)
    }

    @Test func batchesShrinkTowardTheTail() throws {
        var machine = try makeMachine(files(60, seconds: 10)) {
            $0.maxBatchSeconds = 1000
            $0.expectedWorkers = 2
        }
        var actions = machine.workerJoined("w1", slots: 1, now: 0)
        actions += machine.workerJoined("w2", slots: 1, now: 0)
        let all = runToEnd(&machine, startingWith: actions) { _, assignment in report(assignment.items) }
        let sizes = all.assignments.map(\.assignment.items.count)
        #expect(sizes.first == 15)  // 600 s / (2 × 2 slots) = 150 s
        #expect(sizes.last == 1)
        #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(all.summary?.passed == 60)
    }

    @Test func noBatchIsLargerThanAQuarterOfTheShardTimeout() throws {
        var machine = try makeMachine(files(100, seconds: 10)) {
            $0.shardTimeout = 200
            $0.maxBatchSeconds = 10_000
        }
        let assignment = try #require(machine.workerJoined("w1", slots: 1, now: 0).assignments.first?.assignment)
        #expect(assignment.estimatedSeconds == 50)
    }

    @Test func anItemLongerThanTheTargetGoesAlone() throws {
        var machine = try makeMachine(estimated([("giant.py", 900), ("a.py", 5), ("b.py", 5)])) {
            $0.maxBatchSeconds = 100
            $0.initialStartCost = 2
        }
        let actions = machine.workerJoined("w1", slots: 2, now: 0)
        #expect(actions.assignments.map(\.assignment.items) == [["giant.py"], ["a.py", "b.py"]])
    }

    @Test func theStartCostSetsTheSmallestBatch() throws {
        // Start cost 2 s at most 20 % of a batch → at least 10 s per batch, even where GSS asks for less.
        var machine = try makeMachine(files(100, seconds: 1)) {
            $0.initialStartCost = 2
            $0.batchFactor = 1000
        }
        let assignment = try #require(machine.workerJoined("w1", slots: 1, now: 0).assignments.first?.assignment)
        #expect(assignment.items.count == 10)
    }

    @Test func workSmallerThanTheMinimumBatchIsSplitEvenlyOverFreeSlots() throws {
        var machine = try makeMachine(files(10, seconds: 1)) {
            $0.initialStartCost = 2
            $0.expectedWorkers = 2
        }
        _ = machine.workerJoined("w1", slots: 1, now: 0)
        let actions = machine.workerJoined("w2", slots: 1, now: 0)
        #expect(actions.assignments.map(\.assignment.items.count) == [5, 5])
    }

    /// The tail: a worker that frees up while the other is about to finish takes its fair share of
    /// what is left, not everything the start-cost floor would give it.
    @Test func aTailBatchStopsAtTheFairShareWhenTheOtherWorkerIsAlmostDone() throws {
        func secondWorkersBatch(balanceTail: Bool) throws -> Int {
            // Start cost 2 s → batches of at least 10 s; 40 files of 0.5 s.
            var machine = try makeMachine(files(40, seconds: 0.5)) {
                $0.initialStartCost = 2
                $0.balanceTail = balanceTail
            }
            let first = try #require(machine.workerJoined("w1", slots: 1, now: 0).assignments.first?.assignment)
            #expect(first.items.count == 20)  // GSS: 20 s / 2 — w1 is busy until about 12 s
            let second = try #require(machine.workerJoined("w2", slots: 1, now: 11).assignments.first?.assignment)
            return second.items.count
        }
        // Left: 10 s queued + 1 s of w1's shard = 5.5 s each; the floor (10 s, all of it) exceeds that
        // by more than a start, so w2 takes 11 files and w1 the other 9 when it frees up a second later.
        #expect(try secondWorkersBatch(balanceTail: true) == 11)
        #expect(try secondWorkersBatch(balanceTail: false) == 20)
    }

    /// Not for a saving smaller than a start: the other worker's shard has long to run.
    @Test func aTailBatchKeepsTheFloorWhenTheOtherWorkerIsBusyLong() throws {
        var machine = try makeMachine(files(40, seconds: 0.5)) { $0.initialStartCost = 2 }
        _ = machine.workerJoined("w1", slots: 1, now: 0)
        let second = try #require(machine.workerJoined("w2", slots: 1, now: 1).assignments.first?.assignment)
        #expect(second.items.count == 20)
    }

    /// The last round: what is left gives each worker one more floor-sized batch but not two, so each
    /// takes the fair share of it and both end together (the seed-scale runs ended 1–1.6 s apart when
    /// the first taker got the floor and the last one the rest).
    @Test func theLastBatchesSplitWhatIsLeftEvenly() throws {
        func batches(even: Bool) throws -> [Int] {
            // Start cost 1 s → batches of at least 5 s; 280 files of 0.1 s; w1's first batch is 10 s.
            var machine = try makeMachine(files(280, seconds: 0.1)) {
                $0.initialStartCost = 1
                $0.maxBatchSeconds = 10
                $0.evenLastBatches = even
            }
            let first = try #require(machine.workerJoined("w1", slots: 1, now: 0).assignments.first?.assignment)
            #expect(first.items.count == 100)
            // At 10.5 s, 18 s are queued and w1 has 0.5 s left: 9.25 s each, between the floor and twice it.
            let second = try #require(machine.workerJoined("w2", slots: 1, now: 10.5).assignments.first)
            return [first.items.count, second.assignment.items.count]
        }
        #expect(try batches(even: true) == [100, 92])
        #expect(try batches(even: false) == [100, 50])
    }

    /// A rest cheaper than a process start goes with the batch of the only free slot, instead of a
    /// shard of its own at the very end; with two free slots it is the other slot's.
    @Test func aRestCheaperThanAStartGoesWithTheLastFreeSlotsBatch() throws {
        let items = estimated([("a.py", 4.6), ("b.py", 0.5)])
        // Start cost 1 s → a 5 s minimum batch: a.py fits, a.py + b.py (5.1 s) does not.
        var alone = try makeMachine(items) { $0.initialStartCost = 1 }
        let batch = alone.workerJoined("w1", slots: 1, now: 0).assignments.map(\.assignment.items)
        #expect(batch == [[WorkItem("a.py"), WorkItem("b.py")]])
        var pair = try makeMachine(items) {
            $0.initialStartCost = 1
            $0.expectedWorkers = 2
        }
        _ = pair.workerJoined("w1", slots: 1, now: 0)
        let batches = pair.workerJoined("w2", slots: 1, now: 0).assignments.map(\.assignment.items)
        #expect(batches == [[WorkItem("a.py")], [WorkItem("b.py")]])
    }

    @Test func dispatchWaitsForTheExpectedWorkers() throws {
        var machine = try makeMachine(files(4)) { $0.expectedWorkers = 2 }
        #expect(machine.workerJoined("w1", slots: 1, now: 0).assignments.isEmpty)
    }

    @Test func dispatchStartsWhenTheExpectedWorkersDoNotComeInTime() throws {
        var machine = try makeMachine(files(4)) {
            $0.expectedWorkers = 2
            $0.expectedWorkersTimeout = 60
        }
        _ = machine.workerJoined("w1", slots: 1, now: 0)
        _ = machine.heartbeatReceived("w1", running: [], now: 55)
        let actions = machine.tick(now: 60)
        #expect(actions.contains(.notice(.dispatchStarted(joinedWorkers: 1, expectedWorkers: 2))))
        #expect(actions.assignments.count == 1)
    }

    @Test func aDrainingWorkerGetsNoNewWork() throws {
        var machine = try makeMachine(files(40)) { $0.maxBatchSeconds = 10 }
        let first = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        _ = machine.workerDraining("w1", now: 1)
        let actions = machine.shardResultReceived("w1", lease: first.lease, report: report(first.items), now: 2)
        #expect(actions.accepted.count == 1)
        #expect(actions.assignments.isEmpty)
    }

    @Test func aFreedSlotIsFilledWithoutAWorkRequest() throws {
        var machine = try makeMachine(files(40)) { $0.maxBatchSeconds = 10 }
        let first = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        let actions = machine.shardResultReceived("w1", lease: first.lease, report: report(first.items), now: 2)
        #expect(actions.assignments.map(\.worker) == ["w1"])
    }

    @Test func theLearnedStartCostRaisesTheSmallestBatch() throws {
        var machine = try makeMachine(files(200, seconds: 1)) {
            $0.initialStartCost = 0.5
            $0.maxBatchSeconds = 10
        }
        let first = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
        var result = report(first.items, duration: 1)
        result.wallSeconds = Double(first.items.count) + 3  // 3 s outside the tests
        _ = machine.shardResultReceived("w1", lease: first.lease, report: result, now: 20)
        #expect(machine.snapshot(now: 20).startCostSeconds > 0.5)
    }

    /// Time the worker attributes to the files (their collection) is work, not process start.
    @Test func secondsAttributedToTheFilesAreNotStartCost() throws {
        /// `beyondTests`: what the worker attributes to the files beyond their tests' times.
        func learnedStartCost(beyondTests: Double?) throws -> Double {
            var machine = try makeMachine(files(200, seconds: 1)) {
                $0.initialStartCost = 0.5
                $0.maxBatchSeconds = 10
            }
            let first = machine.workerJoined("w1", slots: 1, now: 0).assignments[0].assignment
            var result = report(first.items, duration: 1)
            result.wallSeconds = Double(first.items.count) + 3  // 3 s outside the tests' own times
            result.attributedSeconds = beyondTests.map { Double(first.items.count) + $0 } ?? 0
            _ = machine.shardResultReceived("w1", lease: first.lease, report: result, now: 20)
            return machine.snapshot(now: 20).startCostSeconds
        }
        let unattributed = try learnedStartCost(beyondTests: nil)
        // The same shard, whose files the worker measured at 2.5 s more than their tests.
        let attributed = try learnedStartCost(beyondTests: 2.5)
        #expect(attributed < unattributed)
        #expect(attributed < 0.6)
    }

    @Test func theSnapshotCountsQueueRunningAndSlots() throws {
        var machine = try makeMachine(files(10, seconds: 10)) { $0.maxBatchSeconds = 20 }
        _ = machine.workerJoined("w1", slots: 2, now: 0)
        let snapshot = machine.snapshot(now: 5)
        #expect(snapshot.itemsTotal == 10)
        #expect(snapshot.runningLeases == 2)
        #expect(snapshot.queuedUnits == 6)
        #expect(snapshot.queuedEstimatedSeconds == 60)
        #expect(snapshot.freeSlots == 0)
        #expect(snapshot.runningEstimatedSeconds == 30)
        #expect(snapshot.etaSeconds != nil)
    }

    @Test func absurdSlotCountsFromWorkersAreBounded() throws {
        var machine = try makeMachine(files(2))
        _ = machine.workerJoined("w1", slots: .max, now: 0)
        _ = machine.workerJoined("w2", slots: .max, now: 0)
        _ = machine.workerJoined("w3", slots: -5, now: 0)
        #expect(machine.snapshot(now: 0).totalSlots == 2 * SchedulerStateMachine.maxSlotsPerWorker)
    }
}
