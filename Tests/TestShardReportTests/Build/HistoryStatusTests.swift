import TestShardModel
import Testing

@testable import TestShardReport

/// Two consecutive runs, the second compared with the first: one failure fixed, one new, one
/// unchanged.
@Suite struct HistoryStatusTests {
    static let fixedFile = "tests/test_fixed.py"
    static let newFile = "tests/test_new.py"
    static let ongoingFile = "tests/test_ongoing.py"

    static func run(id: String, fixedFails: Bool, newFails: Bool, history: RunHistory = RunHistory()) -> GardenerReport
    {
        var fixture = SnapshotFixture()
        fixture.runId = id
        fixture.history = history
        fixture.shard(
            "s1",
            files: [fixedFile, newFile, ongoingFile],
            tests: [
                (
                    fixedFile, "test_a", fixedFails ? .failed : .passed,
                    fixedFails ? SnapshotFixture.error("KeyError: 'price'") : nil
                ),
                (
                    newFile, "test_b", newFails ? .failed : .passed,
                    newFails ? SnapshotFixture.error("ValueError: negative amount") : nil
                ),
                (ongoingFile, "test_c", .failed, SnapshotFixture.error("RuntimeError: ledger out of balance")),
            ]
        )
        return fixture.report
    }

    /// What the history store would hand over after `first`.
    static func history(after first: GardenerReport) -> RunHistory {
        let tests = first.tests.map { test in
            TestHistory(id: test.id, runs: [TestRunRecord(runId: first.run.id, attempts: test.attempts.map(\.status))])
        }
        return RunHistory(
            runs: [HistoricalRun(id: first.run.id, startedAt: first.run.startedAt)],
            previousRun: PreviousRunSummary(
                id: first.run.id,
                startedAt: first.run.startedAt,
                counts: first.summary.files,
                clusterIds: first.clusters.map(\.id),
                files: first.files.map(\.path)
            ),
            tests: tests,
            clusters: first.clusters.map { cluster in
                ClusterHistory(
                    id: cluster.id,
                    title: cluster.normalized,
                    firstSeenRunId: first.run.id,
                    firstSeenAt: first.run.startedAt,
                    lastSeenRunId: first.run.id,
                    lastSeenAt: first.run.startedAt,
                    streakRuns: 1,
                    streakSinceRunId: first.run.id,
                    lastFiles: cluster.files
                )
            },
            notes: [first.clusters.first { $0.normalized.contains("ledger") }!.id: "Ledger rounding; owner: team-pay"]
        )
    }

    static var reports: (GardenerReport, GardenerReport) {
        let first = run(id: "run-1", fixedFails: true, newFails: false)
        let second = run(id: "run-2", fixedFails: false, newFails: true, history: history(after: first))
        return (first, second)
    }

    @Test func fixedNewAndOngoingAreRight() throws {
        let (_, second) = Self.reports
        let fixed = try #require(second.test("\(Self.fixedFile)::test_a"))
        #expect(fixed.history.status == .fixed)
        #expect(second.fixed.tests.map(\.id) == ["\(Self.fixedFile)::test_a"])

        let new = try #require(second.test("\(Self.newFile)::test_b"))
        #expect(new.history.status == .new)
        #expect(new.history.ageRuns == 1)

        let ongoing = try #require(second.test("\(Self.ongoingFile)::test_c"))
        #expect(ongoing.history.status == .ongoing)
        #expect(ongoing.history.ageRuns == 2)
        #expect(ongoing.history.sinceRun == "run-1")
        #expect(ongoing.history.verdicts == "FF")
    }

    @Test func clustersCarryTheSameStatuses() throws {
        let (first, second) = Self.reports
        let ongoing = try #require(second.cluster(containing: "ledger out of balance"))
        #expect(ongoing.status == .ongoing)
        #expect(ongoing.ageRuns == 2)
        #expect(ongoing.sinceRun == "run-1")
        #expect(ongoing.firstSeenRun == "run-1")
        #expect(ongoing.notes == "Ledger rounding; owner: team-pay")
        #expect(try #require(second.cluster(containing: "negative amount")).status == .new)

        let gone = try #require(first.cluster(containing: "KeyError"))
        #expect(second.fixed.clusters.map(\.id) == [gone.id])
        #expect(second.fixed.clusters.first?.confirmed == true)
    }

    @Test func deltasAreAgainstThePreviousRun() throws {
        let (_, second) = Self.reports
        let delta = try #require(second.summary.filesDelta)
        #expect(delta == FileCounts())  // one failing file swapped for another
        #expect(second.run.comparedWith == "run-1")
        let markdown = MarkdownReportRenderer.render(second)
        #expect(markdown.contains("ONGOING (2 runs, since run-1)"))
        #expect(markdown.contains("`tests/test_fixed.py::test_a` — FIXED"))
        #expect(markdown.contains("Ledger rounding; owner: team-pay"))
    }

    @Test func aFailureAfterACleanRunIsRegressed() {
        let judged = ReportAssembly.historyStatus(
            current: .fail,
            past: [("r3", .pass), ("r2", .fail), ("r1", .pass)],
            label: .stable,
            runId: "r4"
        )
        #expect(judged.status == .regressed)
    }

    @Test func skippedRunsDoNotBreakAnOngoingStreak() {
        let judged = ReportAssembly.historyStatus(
            current: .fail,
            past: [("r4", .excluded), ("r3", .fail), ("r2", .flaky), ("r1", .pass)],
            label: .insufficient,
            runId: "r5"
        )
        #expect(judged.status == .ongoing)
        #expect(judged.age == 3)
        #expect(judged.since == "r2")
    }

    @Test func flakyLabelledFailuresAreFlakyHitsAndTheirFixesUnconfirmed() {
        #expect(
            ReportAssembly.historyStatus(current: .fail, past: [("r1", .pass)], label: .flaky, runId: "r2").status
                == .flakyHit
        )
        #expect(
            ReportAssembly.historyStatus(current: .flaky, past: [("r1", .fail)], label: .stable, runId: "r2").status
                == .flakyHit
        )
        #expect(
            ReportAssembly.historyStatus(current: .pass, past: [("r1", .fail)], label: .flaky, runId: "r2").status
                == .fixedUnconfirmed
        )
    }

    @Test func aRetryPassInThisRunIsFlaky() throws {
        var fixture = SnapshotFixture()
        let file = "tests/test_flaky.py"
        fixture.shard(
            "s1",
            worker: "w1",
            files: [file],
            tests: [(file, "test_race", .failed, SnapshotFixture.error("AssertionError: race lost"))]
        )
        fixture.shard("s1-r", worker: "w2", files: [file], tests: [(file, "test_race", .passed, nil)], retryIndex: 1)
        fixture.item(file, .flaky)
        let report = fixture.report
        let test = try #require(report.test("\(file)::test_race"))
        #expect(test.verdict == .flaky)
        #expect(test.attempts.map(\.status) == [.failed, .passed])
        #expect(test.history.status == .flakyHit)
        #expect(report.file(file)?.state == .flaky)
        #expect(report.flaky.map(\.id) == ["\(file)::test_race"])
        #expect(report.flaky.first?.retryPassThisRun == true)
        #expect(report.verdict.status == .green)
        #expect(report.verdict.exitStatus == 0)
        let cluster = try #require(report.cluster(containing: "race lost"))
        #expect(cluster.flakyOnly)
        #expect(cluster.status == .flakyHit)
        #expect(cluster.severity == .low)
    }

    @Test func aRerunSaysFixedByRerunOrStillFailing() throws {
        let first = Self.run(id: "run-1", fixedFails: true, newFails: true)
        var fixture = SnapshotFixture()
        fixture.runId = "run-1-rerun"
        fixture.history = Self.history(after: first)
        fixture.shard(
            "r1",
            files: [Self.fixedFile, Self.newFile, Self.ongoingFile],
            tests: [
                (Self.fixedFile, "test_a", .passed, nil),
                (Self.newFile, "test_b", .failed, SnapshotFixture.error("ValueError: negative amount")),
                (Self.ongoingFile, "test_c", .failed, SnapshotFixture.error("RuntimeError: ledger out of balance")),
            ]
        )
        var snapshot = fixture.snapshot
        snapshot.run.kind = .rerun
        snapshot.run.parentRunId = "run-1"
        let report = ReportBuilder.build(snapshot)
        #expect(
            report.reruns == [
                RerunOutcome(test: "\(Self.fixedFile)::test_a", outcome: .fixedByRerun),
                RerunOutcome(test: "\(Self.newFile)::test_b", outcome: .stillFailing),
                RerunOutcome(test: "\(Self.ongoingFile)::test_c", outcome: .stillFailing),
            ]
        )
        let markdown = MarkdownReportRenderer.render(report)
        #expect(markdown.contains("fixed by rerun: 1 · still failing: 2"))
    }
}
