import Testing

@testable import TestShardStore

/// Duration samples, windows, imports and pruning, against both store flavors.
@Suite("HistoryStore durations")
struct HistoryStoreDurationsTests {
    /// Records one accepted shard attempt carrying `samples` in a fresh run.
    private func record(_ store: HistoryStore, run: String, at: Double, _ samples: [MeasuredDuration]) throws {
        try store.beginRun(Make.run(run, at: at, status: .running))
        try store.recordShardAttempt(Make.attempt(run, shard: 1, at: at), tests: [], samples: samples)
    }

    @Test(arguments: StoreFlavor.allCases)
    func failedSkippedAndTimedOutSamplesAreStoredButNeverEnterTheWindow(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try record(
            store,
            run: "r1",
            at: 10,
            [
                Make.sample("a.py", 5, .passed, at: 11), Make.sample("a.py", 900, .timeout, at: 12),
                Make.sample("a.py", 0.1, .failed, at: 13), Make.sample("a.py", 0.2, .error, at: 14),
                Make.sample("a.py", 0, .skipped, at: 15), Make.sample("b.py", 7, .failed, at: 16),
            ]
        )
        #expect(try store.samples(item: "a.py").count == 5)
        #expect(try store.durationWindows(items: ["a.py", "b.py"]) == ["a.py": [5]])
        #expect(try store.durationWindowDetails(items: ["a.py"])["a.py"]?.passingSamples == 1)
    }

    @Test(arguments: StoreFlavor.allCases)
    func theWindowKeepsTheNewestKPassingDurationsNewestFirst(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make(windowSize: 3)
        let store = fixture.store
        // Within one call samples may arrive out of time order; across calls, later calls are newer.
        try record(store, run: "r1", at: 10, [Make.sample("a.py", 1, at: 12), Make.sample("a.py", 2, at: 11)])
        #expect(try store.durationWindows(items: ["a.py"]) == ["a.py": [1, 2]])
        try record(store, run: "r2", at: 20, [Make.sample("a.py", 3, at: 21), Make.sample("a.py", 4, at: 22)])
        try record(store, run: "r3", at: 30, [Make.sample("a.py", 5, .failed, at: 31)])
        #expect(try store.durationWindows(items: ["a.py"]) == ["a.py": [4, 3, 1]])

        let record = try #require(try store.durationWindowDetails(items: ["a.py"])["a.py"])
        #expect(record.passingSamples == 4)
        #expect(record.updatedAt == 22)
    }

    @Test(arguments: StoreFlavor.allCases)
    func testWindowsAreReadOnlyForTheFilesAsked(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try record(
            store,
            run: "r1",
            at: 10,
            [
                Make.sample("big.py", 100), Make.sample("big.py::test_a", 60), Make.sample("big.py::TestB::test_b", 40),
                Make.sample("small.py", 1), Make.sample("small.py::test_c", 1),
            ]
        )
        let tests = try store.testDurationWindows(files: ["big.py", "missing.py"])
        #expect(tests == ["big.py": ["big.py::test_a": [60], "big.py::TestB::test_b": [40]]])
        #expect(try store.allDurationWindows(.files) == ["big.py": [100], "small.py": [1]])
        #expect(try store.allDurationWindows(.tests).count == 3)
        #expect(try store.allDurationWindows(.all).count == 5)
        #expect(try store.durationWindows(items: []) == [:])

        // Whole files and single tests live in their own tables; a test window knows its file.
        let (fileRows, testRows) = try store.writer.read { db in
            (try StoredFileWindow.fetchAll(db), try StoredTestWindow.fetchAll(db))
        }
        #expect(fileRows.map(\.file).sorted() == ["big.py", "small.py"])
        #expect(Set(testRows.map(\.file)) == ["big.py", "small.py"])
        #expect(try fileRows.map { try DurationBlob.decode($0.durations) }.sorted { $0[0] < $1[0] } == [[1], [100]])
    }

    @Test(arguments: StoreFlavor.allCases)
    func manyFilesAndAFewFilesReadTheSameWindows(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        let count = HistoryStore.fileScanThreshold + 50
        let files = (0..<count).map { "t/f\($0).py" }
        try store.importSamples(
            files.enumerated().map { Make.sample($0.element, Double($0.offset)) } + [Make.sample("t/f1.py::t", 0.5)],
            source: .importKnapsack,
            run: Make.run("imp", kind: .import)
        )
        // Beyond the threshold the store scans instead of looking up; the answer must not change.
        let wanted = Array(files.dropFirst(10)) + ["t/missing.py", "t/f1.py::t"]
        let many = try store.durationWindows(items: wanted)
        #expect(many.count == count - 10 + 1)
        #expect(many["t/f20.py"] == [20])
        #expect(many["t/f1.py::t"] == [0.5])
        #expect(many["t/f5.py"] == nil)
        #expect(
            try store.durationWindows(items: ["t/f20.py", "t/f1.py::t"]) == ["t/f20.py": [20], "t/f1.py::t": [0.5]]
        )
    }

    @Test(arguments: StoreFlavor.allCases)
    func anImportIsAllOrNothing(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        let importRun = Make.run("imp-1", at: 5, kind: .import)
        let bad = [Make.sample("a.py", 1), Make.sample("b.py", .nan), Make.sample("c.py", 3)]
        let error = #expect(throws: HistoryStoreError.self) {
            try store.importSamples(bad, source: .importPytestSplit, run: importRun)
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.message.contains("b.py") == true)
        #expect(try store.runs().isEmpty)
        #expect(try store.allDurationWindows(.all).isEmpty)

        try store.importSamples(
            [Make.sample("a.py", 1), Make.sample("c.py::test_x", 3)],
            source: .importPytestSplit,
            run: importRun
        )
        #expect(try store.run(id: "imp-1")?.kind == .import)
        #expect(try store.samples(item: "c.py::test_x").map(\.source) == [.importPytestSplit])
        #expect(try store.testDurationWindows(files: ["c.py"]) == ["c.py": ["c.py::test_x": [3]]])

        // A second import under the same run id changes nothing either.
        let again = #expect(throws: HistoryStoreError.self) {
            try store.importSamples([Make.sample("a.py", 50)], source: .importKnapsack, run: importRun)
        }
        #expect(again?.code == .duplicateRun)
        #expect(try store.durationWindows(items: ["a.py"]) == ["a.py": [1]])
    }

    @Test(arguments: StoreFlavor.allCases)
    func aConstraintFailureInsideTheImportRollsEverythingBack(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        // The caller validated the samples, but the run names a parent the history lacks: the
        // foreign key fails inside the transaction, after the run row went in.
        var importRun = Make.run("imp-1", kind: .import)
        importRun.parentRunID = "r-missing"
        #expect(throws: HistoryStoreError.self) {
            try store.importSamples([Make.sample("a.py", 1)], source: .importJUnit, run: importRun)
        }
        #expect(try store.runs().isEmpty)
        #expect(try store.samples(item: "a.py").isEmpty)
        #expect(try store.allDurationWindows(.all).isEmpty)
    }

    @Test(arguments: StoreFlavor.allCases)
    func pruneDropsOldRunsButKeepsWindowsSignaturesAndRunningRuns(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("stuck", at: 1, status: .running))
        for index in 1...4 {
            let id = "r\(index)"
            try store.beginRun(Make.run(id, at: Double(index * 10)))
            let attempt = Make.attempt(id, shard: 1)
            try store.recordShardAttempt(
                attempt,
                tests: [Make.test("a.py::t", in: attempt)],
                samples: [Make.sample("a.py", Double(index), at: Double(index * 10))]
            )
            try store.saveReport(runID: id, json: .init("{}".utf8))
        }
        try store.recordSignaturesSeen(
            runID: "r1",
            at: 10,
            [SignatureSighting(signature: "sig", title: "E", files: ["a.py"])]
        )
        let windowsBefore = try store.allDurationWindows(.all)

        let deleted = try store.prune(keepRuns: 2)
        #expect(deleted == ["r2", "r1"])
        #expect(try store.runs().map(\.id) == ["r4", "r3", "stuck"])
        #expect(try store.samples(item: "a.py").map(\.duration) == [3, 4])
        #expect(try store.testAttempts(runID: "r1").isEmpty)
        #expect(try store.report(runID: "r1") == nil)
        #expect(try store.allDurationWindows(.all) == windowsBefore)
        #expect(try store.clusterSignatures(["sig"])["sig"]?.firstSeenRun == "r1")
        #expect(try store.checkIntegrity().isEmpty)
    }

    @Test(arguments: StoreFlavor.allCases)
    func rebuildingTheWindowsFromSamplesGivesWhatTheyHeldAlready(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make(windowSize: 4)
        let store = fixture.store
        var time = 100.0
        for run in 1...5 {
            var samples: [MeasuredDuration] = []
            for item in ["a.py", "b.py", "b.py::t1"] {
                time += 1
                samples.append(Make.sample(item, Double(run) + time / 1000, run == 3 ? .failed : .passed, at: time))
            }
            try record(store, run: "r\(run)", at: Double(run), samples)
        }
        let incremental = try store.allDurationWindows(.all)
        #expect(incremental["a.py"]?.count == 4)
        try store.rebuildDurationWindows()
        #expect(try store.allDurationWindows(.all) == incremental)
    }
}
