import TestShardModel
import Testing

@testable import TestShardReport

/// Every expected file gets exactly one final state; a missing result is a result.
@Suite struct FileStateTests {
    @Test func everyFileGetsExactlyOneStateWithItsReason() throws {
        var fixture = SnapshotFixture()
        fixture.endReason = .deadline
        fixture.shard(
            "s1",
            files: ["tests/a.py", "tests/b.py", "tests/c.py"],
            tests: [
                ("tests/a.py", "test_1", .passed, nil),
                ("tests/b.py", "test_1", .failed, SnapshotFixture.error("AssertionError: wrong")),
                ("tests/c.py", "test_1", .skipped, nil),
            ]
        )
        // A lost worker's shard: its file could not be finished.
        fixture.shard(
            "s2",
            worker: "w2",
            files: ["tests/lost.py"],
            tests: [],
            exit: ShardExit(kind: .lost, reason: "worker w2 lost: heartbeat timeout")
        )
        fixture.item("tests/lost.py", .lost, shard: "s2")
        fixture.item(
            "tests/syntax.py",
            .notRun,
            reason: .collectionError,
            detail: "SyntaxError: invalid syntax (syntax.py, line 3)"
        )
        fixture.item("tests/late.py", .notRun, reason: .deadline)
        fixture.files.append("tests/unknown.py")  // in the inventory, no word from the scheduler

        let report = fixture.report
        #expect(report.files.count == 7)
        func state(_ path: String) -> (FileState, NotRunReason?) {
            let file = report.file(path)!
            return (file.state, file.notRunReason)
        }
        #expect(state("tests/a.py") == (.passed, nil))
        #expect(state("tests/b.py") == (.failed, nil))
        #expect(state("tests/c.py") == (.skipped, nil))
        #expect(state("tests/lost.py") == (.notRun, .lostWorker))
        #expect(state("tests/syntax.py") == (.notRun, .collectionError))
        #expect(state("tests/late.py") == (.notRun, .deadline))
        #expect(state("tests/unknown.py") == (.notRun, .deadline))  // the run was cut short before it

        let counts = report.summary.files
        #expect(
            counts.passed + counts.failed + counts.flaky + counts.skipped + counts.quarantinedFailed + counts.notRun
                == counts.files
        )
        #expect(
            report.coverage.notRun.map(\.file) == [
                "tests/syntax.py", "tests/lost.py", "tests/late.py", "tests/unknown.py",
            ]
        )
        #expect(report.coverage.notRun.first?.detail == "SyntaxError: invalid syntax (syntax.py, line 3)")
        #expect(report.verdict.status == .cutShort)
        #expect(report.verdict.exitStatus == 3)

        // The collection error and the lost worker are clusters too.
        let collection = try #require(report.cluster(containing: "SyntaxError"))
        #expect(collection.category == .testInfrastructure)
        #expect(collection.categorySource == "builtin:collection.error")
        #expect(collection.normalized == "SyntaxError: invalid syntax (syntax.py, line <N>)")
        let lost = try #require(report.clusters.first { $0.exitKind == .lost })
        #expect(lost.category == .infrastructure)
        #expect(lost.categorySource == "exit_kind:lost")
        #expect(lost.files == ["tests/lost.py"])
    }

    @Test func neverScheduledWhenTheRunCompleted() {
        var fixture = SnapshotFixture()
        fixture.shard("s1", files: ["tests/a.py"], tests: [("tests/a.py", "test_1", .passed, nil)])
        fixture.files.append("tests/forgotten.py")
        let report = fixture.report
        #expect(report.file("tests/forgotten.py")?.notRunReason == .neverScheduled)
        #expect(report.verdict.status == .incomplete)
        #expect(report.verdict.exitStatus == 3)
    }

    @Test func allPassedIsGreenWithExitZero() {
        var fixture = SnapshotFixture()
        fixture.shard(
            "s1",
            files: ["tests/a.py", "tests/b.py"],
            tests: [("tests/a.py", "t", .passed, nil), ("tests/b.py", "t", .passed, nil)]
        )
        let report = fixture.report
        #expect(report.verdict.status == .green)
        #expect(report.verdict.exitStatus == 0)
        #expect(report.verdict.line == "GREEN — all 2 file(s) have a result and none failed.")
        #expect(report.clusters.isEmpty)
    }

    @Test func aFileThatFailedAndThenHungIsFailedButIncomplete() throws {
        var fixture = SnapshotFixture()
        let file = "tests/partial.py"
        fixture.shard(
            "s1",
            files: [file],
            tests: [(file, "test_1", .failed, SnapshotFixture.error("AssertionError: nope"))],
            exit: ShardExit(kind: .timeout, signal: 9),
            logTail: ["stuck in test_2"]
        )
        fixture.item(file, .timeout, shard: "s1")
        let report = fixture.report
        let entry = try #require(report.file(file))
        #expect(entry.state == .failed)
        #expect(entry.incompleteReason == .timeout)
        #expect(report.coverage.partial.map(\.file) == [file])
        #expect(report.verdict.exitStatus == 1)
    }

    @Test func discardedAttemptsAreShownButNotCounted() throws {
        var fixture = SnapshotFixture()
        let file = "tests/a.py"
        fixture.shard(
            "s1",
            worker: "w2",
            files: [file],
            tests: [(file, "t", .failed, SnapshotFixture.error("AssertionError: late"))],
            accepted: false
        )
        fixture.shard("s1", worker: "w1", attempt: 2, files: [file], tests: [(file, "t", .passed, nil)])
        let report = fixture.report
        #expect(report.file(file)?.state == .passed)
        #expect(report.clusters.isEmpty)
        #expect(report.shards.count == 2)
        let discarded = try #require(report.shards.first { !$0.accepted })
        #expect(discarded.exitLabel == "TESTS_FAILED [discarded]")
        #expect(discarded.problem)
    }

    @Test func resultsOutsideTheInventoryAreWarnedAbout() {
        var fixture = SnapshotFixture()
        fixture.shard(
            "s1",
            files: ["tests/a.py"],
            tests: [("tests/a.py", "t", .passed, nil), ("/abs/tests/a.py", "t", .passed, nil)]
        )
        let report = fixture.report
        #expect(
            report.appendix.warnings.contains { $0.contains("outside the inventory") && $0.contains("/abs/tests/a.py") }
        )
    }
}
