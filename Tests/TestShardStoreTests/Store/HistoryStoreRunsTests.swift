import Testing

@testable import TestShardStore

/// Runs, inventory, workers and comparable runs, against both store flavors.
@Suite("HistoryStore runs")
struct HistoryStoreRunsTests {
    @Test(arguments: StoreFlavor.allCases)
    func beginRunStoresTheRunWithNormalizedCategories(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        var run = Make.run("r1", categories: ["slow", "api", "slow"])
        run.gitRevision = "abc123"
        run.configHash = "h1"
        run.coordinatorHost = "ci-1"
        try fixture.store.beginRun(run)

        let stored = try #require(try fixture.store.run(id: "r1"))
        #expect(stored.categories == ["api", "slow"])
        #expect(stored.gitRevision == "abc123")
        #expect(stored.status == .completed)
        #expect(try fixture.store.run(id: "nope") == nil)
    }

    @Test(arguments: StoreFlavor.allCases)
    func aSecondRunWithTheSameIDIsRefused(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        try fixture.store.beginRun(Make.run("r1", at: 1))
        let error = #expect(throws: HistoryStoreError.self) { try fixture.store.beginRun(Make.run("r1", at: 2)) }
        #expect(error?.code == .duplicateRun)
        #expect(try fixture.store.run(id: "r1")?.startedAt == 1)
    }

    @Test(arguments: StoreFlavor.allCases)
    func aRunWhoseParentIsUnknownIsRefused(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let error = #expect(throws: HistoryStoreError.self) {
            try fixture.store.beginRun(Make.run("r2", kind: .rerun, parent: "r-missing"))
        }
        #expect(error?.code == .unknownRun)
        #expect(error?.message.contains("r-missing") == true)
        #expect(try fixture.store.runs().isEmpty)
    }

    @Test(arguments: StoreFlavor.allCases)
    func runsAreListedNewestFirst(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        try fixture.store.beginRun(Make.run("b", at: 20))
        try fixture.store.beginRun(Make.run("a", at: 30))
        try fixture.store.beginRun(Make.run("c", at: 10, suite: "other"))
        #expect(try fixture.store.runs().map(\.id) == ["a", "b", "c"])
        #expect(try fixture.store.runs(limit: 2).map(\.id) == ["a", "b"])
        #expect(try fixture.store.runs(suite: "other").map(\.id) == ["c"])
    }

    @Test(arguments: StoreFlavor.allCases)
    func finishRunRecordsTheEnd(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        try fixture.store.beginRun(Make.run("r1", status: .running))
        try fixture.store.finishRun(id: "r1", endedAt: 1_500, status: .cutShort, exitStatus: 3)
        let run = try #require(try fixture.store.run(id: "r1"))
        #expect(run.status == .cutShort)
        #expect(run.endedAt == 1_500)
        #expect(run.exitStatus == 3)

        let error = #expect(throws: HistoryStoreError.self) {
            try fixture.store.finishRun(id: "r9", endedAt: 1, status: .completed, exitStatus: 0)
        }
        #expect(error?.code == .unknownRun)
    }

    @Test(arguments: StoreFlavor.allCases)
    func expectedItemsKeepTheirOrderAndFinalStatesSurviveARerecord(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", status: .running))
        try store.recordExpectedItems(
            runID: "r1",
            items: [
                ExpectedItem(item: "tests/z.py", estimate: 3), ExpectedItem(item: "tests/a.py", estimate: 1),
                ExpectedItem(item: "tests/big.py::test_one"),
            ]
        )
        #expect(try store.runItems(runID: "r1").map(\.item) == ["tests/z.py", "tests/a.py", "tests/big.py::test_one"])
        #expect(try store.runItems(runID: "r1").last?.file == "tests/big.py")
        #expect(try store.run(id: "r1")?.expectedItems == 3)

        try store.recordItemFinalStates(runID: "r1", ["tests/z.py": StoredRunItem.Outcome(.notRun, reason: "deadline")])
        // A resumed coordinator records the same inventory again: decided items stay decided.
        try store.recordExpectedItems(
            runID: "r1",
            items: [ExpectedItem(item: "tests/z.py", estimate: 4), ExpectedItem(item: "tests/a.py", estimate: 1)]
        )
        let items = try store.runItems(runID: "r1")
        #expect(items.first { $0.item == "tests/z.py" }?.finalState == .notRun)
        #expect(items.first { $0.item == "tests/z.py" }?.reason == "deadline")
        #expect(items.first { $0.item == "tests/z.py" }?.estimate == 4)
    }

    @Test(arguments: StoreFlavor.allCases)
    func finalStatesAreAllOrNothing(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", status: .running))
        try store.recordExpectedItems(runID: "r1", items: [ExpectedItem(item: "a.py"), ExpectedItem(item: "b.py")])

        let error = #expect(throws: HistoryStoreError.self) {
            try store.recordItemFinalStates(
                runID: "r1",
                ["a.py": StoredRunItem.Outcome(.passed), "zzz.py": StoredRunItem.Outcome(.failed)]
            )
        }
        #expect(error?.code == .unknownItem)
        #expect(error?.message.contains("zzz.py") == true)
        #expect(try store.runItems(runID: "r1").allSatisfy { $0.finalState == nil })

        try store.recordItemFinalStates(
            runID: "r1",
            [
                "a.py": StoredRunItem.Outcome(.passed),
                "b.py": StoredRunItem.Outcome(
                    .timeout,
                    detail: "last line: waiting for db",
                    shardID: 4,
                    shardAttempt: 2
                ),
            ]
        )
        let items = try store.runItems(runID: "r1")
        #expect(items.map(\.finalState) == [.passed, .timeout])
        #expect(items[1].detail == "last line: waiting for db")
        #expect(items[1].shardID == 4)
        #expect(items[1].shardAttempt == 2)
    }

    @Test(arguments: StoreFlavor.allCases)
    func workersAreUpsertedByRunAndID(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", status: .running))
        var worker = StoredWorker(
            runID: "r1",
            workerID: "w1",
            name: "box-1",
            host: "10.0.0.2",
            slots: 4,
            revision: "abc",
            joinedAt: 1_001
        )
        try store.recordWorker(worker)
        try store.recordWorker(
            StoredWorker(runID: "r1", workerID: "w0", name: "box-0", host: "10.0.0.1", slots: 2, joinedAt: 1_002)
        )
        worker.state = .lost
        worker.reason = "lease expired"
        worker.leftAt = 1_100
        try store.recordWorker(worker)

        let workers = try store.workers(runID: "r1")
        #expect(workers.map(\.workerID) == ["w1", "w0"])
        #expect(workers[0].state == .lost)
        #expect(workers[0].leftAt == 1_100)
        #expect(workers[0].reason == "lease expired")
    }

    @Test(arguments: StoreFlavor.allCases)
    func previousComparableRunMatchesSuiteKindProfileCategoriesAndStatus(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("old", at: 10, categories: ["b", "a"]))
        try store.beginRun(Make.run("cut", at: 20, status: .cutShort, categories: ["a", "b"]))
        try store.beginRun(Make.run("broken", at: 30, status: .interrupted, categories: ["a", "b"]))
        try store.beginRun(Make.run("other-suite", at: 40, suite: "x", categories: ["a", "b"]))
        try store.beginRun(Make.run("other-profile", at: 50, profile: "py312", categories: ["a", "b"]))
        try store.beginRun(Make.run("other-categories", at: 60, categories: ["a"]))
        try store.beginRun(Make.run("a-rerun", at: 70, kind: .rerun, categories: ["a", "b"], parent: "old"))
        try store.beginRun(Make.run("now", at: 80, status: .running, categories: ["a", "b"]))
        try store.beginRun(Make.run("later", at: 90, categories: ["a", "b"]))

        #expect(try store.previousComparableRun(before: "now")?.id == "cut")
        #expect(try store.comparableRuns(endingAt: "now", limit: 30).map(\.id) == ["now", "cut", "old"])
        #expect(try store.previousComparableRun(before: "old") == nil)
        #expect(try store.previousComparableRun(before: "a-rerun") == nil)
    }

    @Test(arguments: StoreFlavor.allCases)
    func aResumedRunComparesWithRunsAndTheBranchCanBeRequired(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("main-1", at: 10, branch: "main"))
        try store.beginRun(Make.run("feature", at: 20, branch: "feature"))
        try store.beginRun(Make.run("resumed", at: 30, kind: .resume, branch: "main", parent: "main-1"))
        #expect(try store.previousComparableRun(before: "resumed")?.id == "feature")
        #expect(try store.previousComparableRun(before: "resumed", matchingBranch: true)?.id == "main-1")
    }

    @Test(arguments: StoreFlavor.allCases)
    func resumeMarksTheRunRunningAndReturnsWhatWasRecorded(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", status: .running))
        try store.recordExpectedItems(runID: "r1", items: [ExpectedItem(item: "a.py"), ExpectedItem(item: "b.py")])
        try store.recordWorker(
            StoredWorker(runID: "r1", workerID: "w1", name: "n", host: "h", slots: 1, joinedAt: 1)
        )
        let done = Make.attempt("r1", shard: 1, items: ["a.py"])
        try store.recordShardAttempt(done, tests: [Make.test("a.py::test_x", in: done)], samples: [])
        try store.recordShardAttempt(
            Make.attempt("r1", shard: 2, items: ["b.py"], accepted: false),
            tests: [],
            samples: []
        )
        try store.recordItemFinalStates(runID: "r1", ["a.py": StoredRunItem.Outcome(.passed)])
        try store.finishRun(id: "r1", endedAt: 2_000, status: .interrupted, exitStatus: nil)

        let snapshot = try store.resumeRun(id: "r1")
        #expect(snapshot.run.status == .running)
        #expect(snapshot.run.endedAt == nil)
        #expect(snapshot.run.resumeCount == 1)
        #expect(snapshot.items.map(\.item) == ["a.py", "b.py"])
        #expect(snapshot.items.map(\.finalState) == [.passed, nil])
        #expect(snapshot.shardAttempts.map(\.shardID) == [1])
        #expect(snapshot.testAttempts.map(\.testID) == ["a.py::test_x"])
        #expect(snapshot.workers.map(\.workerID) == ["w1"])
        #expect(try store.run(id: "r1")?.status == .running)

        try store.finishRun(id: "r1", endedAt: 3_000, status: .completed, exitStatus: 0)
        let error = #expect(throws: HistoryStoreError.self) { try store.resumeRun(id: "r1") }
        #expect(error?.code == .invalidValue)
        #expect(try store.run(id: "r1")?.resumeCount == 1)
    }
}
