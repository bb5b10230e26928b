import Foundation
import TestShardModel

extension ReportAssembly {
    // MARK: 8. Tests against history

    mutating func scoreTests() {
        var historyById: [String: TestHistory] = [:]
        for entry in snapshot.history.tests where historyById[entry.id] == nil { historyById[entry.id] = entry }
        let pastRuns = Array(snapshot.history.runs.prefix(max(thresholds.window - 1, 0)))
        // Many units share a history (always passed until now): score each distinct one once.
        var scores: [[Int]: FlakinessScore] = [:]
        func score(_ runs: [FlakinessRun]) -> FlakinessScore {
            let key = runs.flatMap { run -> [Int] in
                [Int(run.verdict.rawValue.utf8.first ?? 0), run.failedAttempts, run.decidedAttempts]
            }
            if let known = scores[key] { return known }
            let computed = FlakinessScorer.score(runs, thresholds: thresholds)
            scores[key] = computed
            return computed
        }

        for unit in tests where !unit.collectionOnly {
            let history = historyById[unit.id]
            let failedNow = unit.verdict == .failed || unit.verdict == .flaky
            guard failedNow || history != nil else { continue }

            let statuses = unit.attempts.map { attempts[$0].result.status }
            let failedAttempts = unit.attempts.filter { failureTexts[$0] != nil }
            let infraOnly =
                !failedAttempts.isEmpty
                && failedAttempts.allSatisfy { index in
                    attemptCluster[index].flatMap { clusterIndex[$0] }.map {
                        clusters[$0].report.category.isInfrastructureLike
                    } ?? false
                }
            let current = FlakinessRun(attempts: statuses, excluded: runMassFailure || infraOnly)
            let rawCurrent = RunVerdictCode.of(statuses)
            let past = Self.pastVerdicts(history, runs: pastRuns)
            let score = score([current] + past.map(\.adjusted))
            let judged = Self.historyStatus(
                current: rawCurrent,
                past: past.map { ($0.runId, $0.raw) },
                label: score.label,
                runId: snapshot.run.id
            )
            let keep =
                failedNow || judged.status == .fixed || judged.status == .fixedUnconfirmed || score.label == .flaky
            guard keep else { continue }
            if judged.status == .fixed || judged.status == .fixedUnconfirmed {
                fixedTests.append(FixedTest(id: unit.id, file: unit.file, status: judged.status))
            }
            let category = failedAttempts.first.flatMap { attemptCluster[$0] }.flatMap { clusterIndex[$0] }.map {
                clusters[$0].report.category
            }
            testReports.append(
                TestReport(
                    id: unit.id,
                    file: unit.file,
                    name: unit.name,
                    verdict: unit.verdict,
                    quarantined: unit.quarantineEntry != nil,
                    category: category,
                    attempts: unit.attempts.map(attemptReport),
                    history: TestHistoryReport(
                        status: judged.status,
                        ageRuns: judged.age,
                        sinceRun: judged.since,
                        verdicts: Self.verdictStrip(current: current.verdict, past: past.map(\.adjusted.verdict))
                    ),
                    flakiness: score
                )
            )
        }

        // Tests that failed last time but have no result now because their file did not run.
        for entry in snapshot.history.tests.sorted(by: { $0.id < $1.id }) where testIndex[entry.id] == nil {
            let file = WorkItem(entry.id).file
            guard let slot = fileIndex[file], files[slot].state == .notRun else { continue }
            let past = Self.pastVerdicts(entry, runs: pastRuns)
            guard let newest = past.first(where: { $0.raw != .excluded }), newest.raw == .fail || newest.raw == .flaky
            else { continue }
            let score = score(
                [FlakinessRun(verdict: .excluded, failedAttempts: 0, decidedAttempts: 0)] + past.map(\.adjusted)
            )
            testReports.append(
                TestReport(
                    id: entry.id,
                    file: file,
                    name: entry.id.split(separator: ":").last.map(String.init) ?? entry.id,
                    verdict: .notRun,
                    quarantined: quarantineEntry(for: entry.id, file: file) != nil,
                    category: nil,
                    attempts: [],
                    history: TestHistoryReport(
                        status: .notRun,
                        ageRuns: 0,
                        sinceRun: nil,
                        verdicts: Self.verdictStrip(current: .excluded, past: past.map(\.adjusted.verdict))
                    ),
                    flakiness: score
                )
            )
        }
        testReports.sort { $0.id < $1.id }
        fixedTests.sort { $0.id < $1.id }
        computeRerunOutcomes()
    }

    private func attemptReport(_ index: Int) -> TestAttemptReport {
        let attempt = attempts[index]
        let text = failureTexts[index]
        return TestAttemptReport(
            shard: attempt.shardId,
            shardAttempt: attempt.shardAttempt,
            retry: attempt.retryIndex,
            worker: attempt.workerId,
            status: attempt.result.status,
            durationSeconds: round3(attempt.result.duration),
            phase: text?.phase,
            errorType: text?.exceptionType,
            message: text.map { Self.clip($0.message, 500) },
            signature: attemptCluster[index]
        )
    }

    /// A unit's verdicts in the earlier runs of the window, newest first: `raw` as it happened,
    /// `adjusted` with infrastructure-only and mass-failure runs excluded (for flakiness).
    private static func pastVerdicts(
        _ history: TestHistory?,
        runs: [HistoricalRun]
    ) -> [(runId: String, raw: RunVerdictCode, adjusted: FlakinessRun)] {
        guard let history else { return [] }
        // Records are normally in the window's order: match them up without a dictionary.
        var byRun: [TestRunRecord?] = Array(repeating: nil, count: runs.count)
        var cursor = 0
        for record in history.runs {
            if cursor < runs.count, runs[cursor].id == record.runId {
                if byRun[cursor] == nil { byRun[cursor] = record }
                cursor += 1
            } else if let position = runs.firstIndex(where: { $0.id == record.runId }), byRun[position] == nil {
                byRun[position] = record
                cursor = position + 1
            }
        }
        return runs.enumerated().map { position, run in
            guard let record = byRun[position] else {
                return (run.id, .excluded, FlakinessRun(verdict: .excluded, failedAttempts: 0, decidedAttempts: 0))
            }
            return (
                run.id,
                RunVerdictCode.of(record.attempts),
                FlakinessRun(attempts: record.attempts, excluded: record.infrastructureOnly || run.massFailure)
            )
        }
    }

    /// History status of a unit (report-anchors §8.5). Runs in which the unit did not run are
    /// skipped: "the previous run" is the newest one that decided something.
    static func historyStatus(
        current: RunVerdictCode,
        past: [(runId: String, verdict: RunVerdictCode)],
        label: FlakinessScore.Label,
        runId: String
    ) -> (status: HistoryStatus, age: Int, since: String?) {
        let decided = past.filter { $0.verdict != .excluded }
        let failing: (RunVerdictCode) -> Bool = { $0 == .fail || $0 == .flaky }
        switch current {
        case .flaky:
            return (.flakyHit, 1, runId)
        case .fail:
            let streak = decided.prefix { failing($0.verdict) }
            if let oldest = streak.last { return (.ongoing, streak.count + 1, oldest.runId) }
            if label == .flaky { return (.flakyHit, 1, runId) }
            if decided.contains(where: { failing($0.verdict) }) { return (.regressed, 1, runId) }
            return (.new, 1, runId)
        case .pass:
            if decided.first?.verdict == .fail { return (label == .flaky ? .fixedUnconfirmed : .fixed, 0, nil) }
            return (.none, 0, nil)
        case .excluded:
            return (.none, 0, nil)
        }
    }

    /// `P`/`F`/`K`/`X` oldest → newest, this run last.
    static func verdictStrip(current: RunVerdictCode, past: [RunVerdictCode]) -> String {
        (past.reversed() + [current]).map(\.rawValue).joined()
    }

    /// For a rerun: what became of each test that failed in the parent run.
    private mutating func computeRerunOutcomes() {
        guard snapshot.run.kind == .rerun, let parent = snapshot.history.previousRun?.id ?? snapshot.run.parentRunId
        else { return }
        for entry in snapshot.history.tests.sorted(by: { $0.id < $1.id }) {
            guard let record = entry.runs.first(where: { $0.runId == parent }) else { continue }
            let before = RunVerdictCode.of(record.attempts)
            guard before == .fail || before == .flaky else { continue }
            let outcome: RerunOutcome.Outcome
            if let slot = testIndex[entry.id] {
                switch tests[slot].verdict {
                case .passed: outcome = .fixedByRerun
                case .flaky: outcome = .flakyInRerun
                case .failed: outcome = .stillFailing
                case .skipped, .notRun: outcome = .notRun
                }
            } else {
                outcome = .notRun
            }
            rerunOutcomes.append(RerunOutcome(test: entry.id, outcome: outcome))
        }
    }

    // MARK: 9. Clusters against history

    mutating func judgeClusterHistory() {
        var known: [String: ClusterHistory] = [:]
        for entry in snapshot.history.clusters where known[entry.id] == nil { known[entry.id] = entry }
        let previous = snapshot.history.previousRun
        let previousIds = Set(previous?.clusterIds ?? [])
        let newAfter = thresholds.newSignatureDays * 86_400

        for index in clusters.indices {
            var report = clusters[index].report
            let seen = known[report.id]
            if let seen {
                report.firstSeenRun = seen.firstSeenRunId
                report.firstSeenAt = seen.firstSeenAt
            }
            if report.flakyOnly {
                report.status = .flakyHit
            } else if previousIds.contains(report.id), let previous {
                report.status = .ongoing
                report.ageRuns = max(seen?.streakRuns ?? 1, 1) + 1
                report.sinceRun = seen?.streakSinceRunId ?? previous.id
            } else if let seen, snapshot.run.startedAt - seen.lastSeenAt <= newAfter {
                report.status = .regressed
            } else {
                report.status = .new
            }
            clusters[index].report = report
        }
    }

    /// Clusters of the previous run that are gone now.
    func fixedClusters() -> [FixedCluster] {
        guard let previous = snapshot.history.previousRun else { return [] }
        var known: [String: ClusterHistory] = [:]
        for entry in snapshot.history.clusters where known[entry.id] == nil { known[entry.id] = entry }
        return Set(previous.clusterIds).subtracting(clusterIndex.keys).sorted().map { id in
            let lastFiles = known[id]?.lastFiles ?? []
            let notRun = lastFiles.filter { path in fileIndex[path].map { files[$0].state == .notRun } ?? true }
                .sorted()
            return FixedCluster(id: id, title: known[id]?.title ?? id, confirmed: notRun.isEmpty, filesNotRun: notRun)
        }
    }
}
