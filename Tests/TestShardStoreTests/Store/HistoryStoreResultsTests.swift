import Foundation
import TestShardModel
import Testing

@testable import TestShardStore

/// Shard attempts, test attempts, signatures and reports, against both store flavors.
@Suite("HistoryStore results")
struct HistoryStoreResultsTests {
    @Test(arguments: StoreFlavor.allCases)
    func aShardAttemptIsStoredWithItsTestsAndSamples(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", status: .running))
        var attempt = Make.attempt("r1", shard: 7, attempt: 2, items: ["t/a.py", "t/b.py"], exit: .testsFailed)
        attempt.logTail = ["E   AssertionError: boom", "1 failed, 1 passed"]
        attempt.timeoutSeconds = 1_200
        let failure = TestFailure(
            type: "RuntimeError",
            message: "RuntimeError: Failed to start Docker services",
            details: "tb",
            phase: .setup
        )
        let tests = [
            Make.test("t/a.py::test_ok", in: attempt, .passed, duration: 0.5),
            Make.test("t/b.py::TestX::test_bad", in: attempt, .error, duration: 2, failure: failure),
        ]
        let stored = try store.recordShardAttempt(
            attempt,
            tests: tests,
            samples: [Make.sample("t/a.py", 0.6), Make.sample("t/b.py", 2.1, .error)]
        )
        #expect(stored.rowID != nil)

        let attempts = try store.shardAttempts(runID: "r1")
        #expect(attempts.count == 1)
        #expect(attempts[0].exit == ShardExit(kind: .testsFailed, code: 1))
        #expect(attempts[0].items == ["t/a.py", "t/b.py"])
        #expect(attempts[0].command == ["python3", "-m", "pytest", "t/a.py", "t/b.py"])
        #expect(attempts[0].logTail == attempt.logTail)
        #expect(attempts[0].timeoutSeconds == 1_200)
        #expect(attempts[0].junitState == "parsed")

        let recorded = try store.testAttempts(runID: "r1")
        #expect(recorded.map(\.testID) == ["t/a.py::test_ok", "t/b.py::TestX::test_bad"])
        #expect(recorded.allSatisfy { $0.shardAttemptRowID == stored.rowID && $0.shardID == 7 && $0.shardAttempt == 2 })
        #expect(recorded[1].failure == failure)
        #expect(recorded[1].result == tests[1].result)
        let bad = try store.testAttempts(runID: "r1", testIDs: ["t/b.py::TestX::test_bad"])
        #expect(bad.map(\.testID) == [tests[1].testID])
        let asked = ["t/a.py::test_ok", "t/a.py::test_ok[\"quoted\"]", "t/none.py::test_x", "t/b.py::TestX::test_bad"]
        #expect(try store.testAttempts(runID: "r1", testIDs: asked).map(\.testID) == recorded.map(\.testID))
        #expect(try store.testAttempts(runID: "r1", testIDs: []).isEmpty)
        #expect(try store.samples(item: "t/b.py").map(\.outcome) == [.error])
        #expect(try store.samples(item: "t/a.py").map(\.source) == [.run])
    }

    /// The tests go in by one prepared statement, not by the record: every field, set and unset,
    /// must read back as the record that was given.
    @Test(arguments: StoreFlavor.allCases)
    func everyFieldOfATestAttemptReadsBackAsGiven(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", status: .running))
        let attempt = Make.attempt("r1", shard: 4, attempt: 3, items: ["t/a.py"], exit: .testsFailed)
        var full = StoredTestAttempt(
            runID: "r1",
            shardID: 4,
            shardAttempt: 3,
            testID: "t/a.py::TestX::test_y[1-é]",
            file: "t/a.py",
            classname: "t.a.TestX",
            name: "test_y[1-é]",
            retryIndex: 2,
            workerID: "host-1",
            status: .error,
            duration: 1.25,
            failure: TestFailure(
                type: "OSError",
                message: "no such service: backend",
                details: "tb\nline",
                phase: .teardown
            ),
            skipReason: nil,
            signature: "sig-1",
            quarantined: true
        )
        let skipped = StoredTestAttempt(
            runID: "r1",
            shardID: nil,
            shardAttempt: nil,
            testID: "t/a.py::test_z",
            file: "t/a.py",
            workerID: nil,
            status: .skipped,
            duration: 0,
            skipReason: "needs a GPU"
        )
        let stored = try store.recordShardAttempt(attempt, tests: [full, skipped], samples: [])

        let recorded = try store.testAttempts(runID: "r1")
        #expect(recorded.count == 2)
        full.shardAttemptRowID = stored.rowID
        var expectedSkipped = skipped
        expectedSkipped.shardAttemptRowID = stored.rowID
        expectedSkipped.shardID = 4
        expectedSkipped.shardAttempt = 3
        for (got, want) in zip(recorded, [full, expectedSkipped]) {
            var got = got
            #expect(got.rowID != nil)
            got.rowID = nil
            #expect(got == want)
        }
        // The report's snapshot reads the same rows by column position; GRDB's record decoding
        // reads them by name. All three agree.
        #expect(try store.snapshot(runID: "r1").testAttempts == recorded)
        let decoded = try store.writer.read { db in
            try StoredTestAttempt.order(StoredTestAttempt.Columns.rowID).fetchAll(db)
        }
        #expect(decoded == recorded)
    }

    /// A status or phase that is not one of the model's is a corrupt history, named with the row,
    /// not a stopped process.
    @Test(arguments: [
        ("status = 'exploded'", "status \"exploded\""),
        ("failure_phase = 'lunch'", "failure phase \"lunch\""),
    ])
    func aTestAttemptRowTheModelCannotReadIsAnError(_ change: (set: String, named: String)) throws {
        let store = try HistoryStore.inMemory()
        try store.beginRun(Make.run("r1", status: .running))
        let attempt = Make.attempt("r1", shard: 1, attempt: 1, items: ["t/a.py"], exit: .testsFailed)
        let test = Make.test("t/a.py::test_a", in: attempt, .failed)
        _ = try store.recordShardAttempt(attempt, tests: [test], samples: [])
        try store.writer.write { db in try db.execute(sql: "UPDATE test_attempt SET \(change.set)") }
        var thrown: HistoryStoreError?
        do { _ = try store.snapshot(runID: "r1") } catch { thrown = error }
        #expect(thrown != nil)
        #expect(thrown?.message.contains(change.named) == true, "\(String(describing: thrown))")
    }

    @Test(arguments: StoreFlavor.allCases)
    func aSecondRecordOfTheSameAttemptIsRefusedAndNothingIsCountedTwice(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", status: .running))
        let attempt = Make.attempt("r1", shard: 3)
        try store.recordShardAttempt(
            attempt,
            tests: [Make.test("t/a.py::t1", in: attempt)],
            samples: [Make.sample("t/a.py", 1)]
        )

        let error = #expect(throws: HistoryStoreError.self) {
            try store.recordShardAttempt(
                attempt,
                tests: [Make.test("t/a.py::t1", in: attempt)],
                samples: [Make.sample("t/a.py", 9)]
            )
        }
        #expect(error?.code == .duplicateShardAttempt)
        #expect(try store.shardAttempts(runID: "r1").count == 1)
        #expect(try store.testAttempts(runID: "r1").count == 1)
        #expect(try store.samples(item: "t/a.py").count == 1)
        #expect(try store.durationWindows(items: ["t/a.py"]) == ["t/a.py": [1]])

        // The next attempt of the same shard is a different key.
        try store.recordShardAttempt(Make.attempt("r1", shard: 3, attempt: 2), tests: [], samples: [])
        #expect(try store.shardAttempts(runID: "r1").map(\.attempt) == [1, 2])
    }

    @Test(arguments: StoreFlavor.allCases)
    func aLateResultIsKeptForTheLogButNeverCounted(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", status: .running))
        let lost = Make.attempt("r1", shard: 1, exit: .lost)
        try store.recordShardAttempt(lost, tests: [], samples: [])
        let late = Make.attempt("r1", shard: 1, exit: .ok, accepted: false)

        let refused = #expect(throws: HistoryStoreError.self) {
            try store.recordShardAttempt(late, tests: [Make.test("t/a.py::t1", in: late)], samples: [])
        }
        #expect(refused?.code == .invalidValue)

        try store.recordShardAttempt(late, tests: [], samples: [])
        let again = #expect(throws: HistoryStoreError.self) {
            try store.recordShardAttempt(late, tests: [], samples: [])
        }
        #expect(again?.code == .duplicateShardAttempt)
        #expect(try store.shardAttempts(runID: "r1").map(\.accepted) == [true, false])
        #expect(try store.shardAttempts(runID: "r1", includingDiscarded: false).count == 1)
        #expect(try store.snapshot(runID: "r1").shardAttempts.map(\.exitKind) == [.lost])
    }

    @Test(arguments: StoreFlavor.allCases)
    func aBadValueStoresNothingOfTheAttempt(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", status: .running))
        try store.beginRun(Make.run("r2", status: .running))
        let attempt = Make.attempt("r1", shard: 1)

        let negative = #expect(throws: HistoryStoreError.self) {
            try store.recordShardAttempt(
                attempt,
                tests: [Make.test("t/a.py::t1", in: attempt)],
                samples: [Make.sample("t/a.py", -1)]
            )
        }
        #expect(negative?.code == .invalidValue)
        #expect(negative?.message.contains("t/a.py") == true)

        let otherRun = Make.attempt("r2", shard: 1)
        let mismatch = #expect(throws: HistoryStoreError.self) {
            try store.recordShardAttempt(attempt, tests: [Make.test("t/a.py::t1", in: otherRun)], samples: [])
        }
        #expect(mismatch?.code == .invalidValue)

        let unknown = #expect(throws: HistoryStoreError.self) {
            try store.recordShardAttempt(Make.attempt("r-none", shard: 1), tests: [], samples: [])
        }
        #expect(unknown?.code == .unknownRun)
        #expect(try store.shardAttempts(runID: "r1").isEmpty)
        #expect(try store.samples(item: "t/a.py").isEmpty)
    }

    @Test(arguments: StoreFlavor.allCases)
    func signaturesAreStoredByTestAttemptRowID(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1", status: .running))
        let attempt = Make.attempt("r1", shard: 1)
        try store.recordShardAttempt(
            attempt,
            tests: [Make.test("t/a.py::t1", in: attempt, .failed), Make.test("t/a.py::t2", in: attempt, .failed)],
            samples: []
        )
        let rows = try store.testAttempts(runID: "r1")
        try store.setSignatures([rows[0].rowID!: "reason-v1:aaaa"])
        #expect(try store.testAttempts(runID: "r1").map(\.signature) == ["reason-v1:aaaa", nil])

        let error = #expect(throws: HistoryStoreError.self) {
            try store.setSignatures([rows[1].rowID!: "reason-v1:bbbb", 999_999: "reason-v1:cccc"])
        }
        #expect(error?.code == .invalidValue)
        #expect(try store.testAttempts(runID: "r1").map(\.signature) == ["reason-v1:aaaa", nil])
    }

    @Test(arguments: StoreFlavor.allCases)
    func verdictHistoryAlignsAttemptsWithComparableRuns(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        // Three comparable runs; the middle one has a retry-pass of t2 (run-flaky), the newest a
        // failure of t1 and no result of t2. A run of another suite must not show up.
        let plan: [(String, Double, [(String, TestStatus, Int)])] = [
            ("r1", 10, [("t/a.py::t1", .passed, 0), ("t/a.py::t2", .passed, 0)]),
            ("x1", 15, [("t/a.py::t1", .failed, 0)]),
            ("r2", 20, [("t/a.py::t1", .passed, 0), ("t/a.py::t2", .failed, 0), ("t/a.py::t2", .passed, 1)]),
            ("r3", 30, [("t/a.py::t1", .failed, 0)]),
        ]
        for (runID, at, tests) in plan {
            try store.beginRun(Make.run(runID, at: at, suite: runID.hasPrefix("x") ? "other" : "suite"))
            let attempt = Make.attempt(runID, shard: 1, at: at)
            try store.recordShardAttempt(
                attempt,
                tests: tests.map { Make.test($0.0, in: attempt, $0.1, retry: $0.2) },
                samples: []
            )
        }

        let history = try store.testVerdictHistory(testIDs: nil, endingAt: "r3", runs: 30)
        #expect(history.runs.map(\.id) == ["r3", "r2", "r1"])
        #expect(history.attempts["t/a.py::t1"]?.map { $0.map(\.status) } == [[.failed], [.passed], [.passed]])
        #expect(history.attempts["t/a.py::t2"]?.map { $0.map(\.status) } == [[], [.failed, .passed], [.passed]])
        #expect(history.attempts["t/a.py::t2"]?[1].map(\.retryIndex) == [0, 1])

        let narrow = try store.testVerdictHistory(testIDs: ["t/a.py::t2"], endingAt: "r3", runs: 2)
        #expect(narrow.runs.map(\.id) == ["r3", "r2"])
        #expect(Array(narrow.attempts.keys) == ["t/a.py::t2"])

        #expect(try store.failedTestIDs(runIDs: ["r3", "r2"]) == ["t/a.py::t1", "t/a.py::t2"])
        #expect(try store.failedTestIDs(runIDs: ["r1"]).isEmpty)
    }

    @Test(arguments: StoreFlavor.allCases)
    func signatureHistoryCountsAttemptsPerComparableRun(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        // sig-a fails in r1 and twice in r3; sig-b only in r2; r0 is before the window of 3 runs.
        let plan: [(String, Double, [String])] = [
            ("r0", 5, ["sig-a"]), ("r1", 10, ["sig-a"]), ("r2", 20, ["sig-b"]), ("r3", 30, ["sig-a", "sig-a"]),
        ]
        for (runID, at, signatures) in plan {
            try store.beginRun(Make.run(runID, at: at))
            let attempt = Make.attempt(runID, shard: 1, at: at)
            let tests = signatures.indices.map { Make.test("t/a.py::t\($0)", in: attempt, .failed) }
            try store.recordShardAttempt(attempt, tests: tests + [Make.test("t/a.py::ok", in: attempt)], samples: [])
            let rows = try store.testAttempts(runID: runID).filter { $0.status == .failed }
            try store.setSignatures(Dictionary(uniqueKeysWithValues: zip(rows.map { $0.rowID! }, signatures)))
        }
        let history = try store.signatureHistory(signatures: nil, endingAt: "r3", runs: 3)
        #expect(history.runs.map(\.id) == ["r3", "r2", "r1"])
        #expect(history.attempts == ["sig-a": [2, 0, 1], "sig-b": [0, 1, 0]])
        let onlyB = try store.signatureHistory(signatures: ["sig-b"], endingAt: "r3", runs: 3)
        #expect(onlyB.attempts == ["sig-b": [0, 1, 0]])
    }

    @Test(arguments: StoreFlavor.allCases)
    func signaturesRememberFirstLastAndPreviousSightingAndCarryNotes(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        for (id, at) in [("r1", 10.0), ("r2", 20.0), ("r3", 30.0)] { try store.beginRun(Make.run(id, at: at)) }
        func seen(_ signature: String, _ files: [String], title: String = "RuntimeError: boom") -> SignatureSighting {
            SignatureSighting(signature: signature, title: title, files: files)
        }
        try store.recordSignaturesSeen(runID: "r1", at: 11, [seen("sig-a", ["a.py"])])
        try store.setClusterNote(signature: "sig-a", note: "tracked in JIRA-1")
        try store.recordSignaturesSeen(
            runID: "r2",
            at: 21,
            [
                seen("sig-a", ["c.py", "b.py"], title: "RuntimeError: boom <N>"), seen("sig-b", ["x.py"]),
                seen("sig-b", ["y.py"]),
            ]
        )
        // The same run again (a resumed coordinator) merges files and moves nothing forward.
        try store.recordSignaturesSeen(runID: "r2", at: 22, [seen("sig-a", ["d.py"], title: "RuntimeError: boom <N>")])

        let known = try store.clusterSignatures(["sig-a", "sig-b", "sig-z"])
        #expect(known.keys.sorted() == ["sig-a", "sig-b"])
        let a = try #require(known["sig-a"])
        #expect(a.firstSeenRun == "r1")
        #expect(a.firstSeenAt == 11)
        #expect(a.lastSeenRun == "r2")
        #expect(a.lastSeenAt == 21)
        #expect(a.seenRuns == 2)
        #expect(a.title == "RuntimeError: boom <N>")
        #expect(a.lastFiles == ["b.py", "c.py", "d.py"])
        #expect(a.note == "tracked in JIRA-1")
        #expect(a.lastSeen(before: "r2")?.run == "r1")
        #expect(a.lastSeen(before: "r3")?.run == "r2")
        #expect(known["sig-b"]?.lastFiles == ["x.py", "y.py"])
        #expect(known["sig-b"]?.lastSeen(before: "r2") == nil)
        #expect(try store.clusterSignatures().count == 2)

        let error = #expect(throws: HistoryStoreError.self) { try store.setClusterNote(signature: "sig-z", note: "x") }
        #expect(error?.code == .invalidValue)
    }

    @Test(arguments: StoreFlavor.allCases)
    func aRunsSignaturesAndItemStateCountsAreReadBack(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1"))
        try store.recordExpectedItems(
            runID: "r1",
            items: ["a.py", "b.py", "c.py", "d.py"].map { ExpectedItem(item: $0) }
        )
        try store.recordItemFinalStates(
            runID: "r1",
            [
                "a.py": .init(.passed), "b.py": .init(.failed), "c.py": .init(.notRun, reason: "deadline"),
            ]
        )
        let attempt = Make.attempt("r1", shard: 1)
        try store.recordShardAttempt(
            attempt,
            tests: [Make.test("b.py::t1", in: attempt, .failed), Make.test("b.py::t2", in: attempt, .failed)],
            samples: []
        )
        let rows = try store.testAttempts(runID: "r1")
        try store.setSignatures([rows[0].rowID!: "sig-a", rows[1].rowID!: "sig-a"])

        #expect(try store.signatures(runID: "r1") == ["sig-a"])
        #expect(try store.itemStateCounts(runIDs: ["r1", "r-none"]) == ["r1": [.passed: 1, .failed: 1, .notRun: 1]])
    }

    @Test(arguments: StoreFlavor.allCases)
    func aReportComesBackByteForByte(_ flavor: StoreFlavor) throws {
        let fixture = try flavor.make()
        let store = fixture.store
        try store.beginRun(Make.run("r1"))
        #expect(try store.report(runID: "r1") == nil)
        let bytes = Data("{\"schema\":\"testshard-report/1\",\"text\":\"é \\u0000 ✓\"}\n".utf8) + Data([0xFF, 0x00])
        try store.saveReport(runID: "r1", json: Data("{}".utf8))
        try store.saveReport(runID: "r1", json: bytes)
        #expect(try store.report(runID: "r1") == bytes)

        let error = #expect(throws: HistoryStoreError.self) { try store.saveReport(runID: "r9", json: bytes) }
        #expect(error?.code == .unknownRun)
    }
}
