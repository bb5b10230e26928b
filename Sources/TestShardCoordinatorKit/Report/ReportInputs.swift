import Foundation
import TestShardConfig
import TestShardModel
import TestShardReport
import TestShardStore

/// Builds the report's input (`RunSnapshot`) from what the history store recorded of a run, the
/// suite's config and the history of comparable runs. Shell code: it reads the store; the report
/// itself is pure.
enum ReportInputs {
    /// How the run ended, from the coordinator's point of view.
    struct Ending {
        var endedAt: Double
        var reason: RunEndReason
        var deadlineSeconds: Double?
    }

    static func snapshot(
        runID: String,
        store: HistoryStore,
        configuration: SuiteConfiguration,
        ending: Ending
    ) throws -> RunSnapshot {
        let stored = try store.snapshot(runID: runID)
        let run = stored.run
        let reportConfiguration = self.configuration(configuration)
        let window = max(1, reportConfiguration.thresholds.window)

        // Expected files: the run's items grouped by file (a split file has several items).
        var fileEstimates: [String: Double] = [:]
        var fileOrder: [String] = []
        for item in stored.items {
            let file = WorkItem(item.item).file
            if fileEstimates[file] == nil { fileOrder.append(file) }
            fileEstimates[file, default: 0] += item.estimate ?? 0
        }
        let expectedFiles = fileOrder.map { file in
            ExpectedFile(
                path: file,
                areas: configuration.areas(for: file).map(\.id),
                categories: configuration.categories(for: file).map(\.id),
                estimateSeconds: fileEstimates[file]
            )
        }

        let workers = stored.workers.map { worker in
            WorkerRecord(
                id: worker.workerID,
                name: worker.name,
                host: worker.host,
                slots: worker.slots,
                joinedAt: worker.joinedAt,
                leftAt: worker.leftAt,
                lost: worker.state == .lost,
                lostReason: worker.reason
            )
        }
        let shards = stored.shardAttempts.map { attempt in
            ShardAttemptRecord(
                shardId: shardName(attempt.shardID),
                attempt: attempt.attempt,
                workerId: attempt.workerID,
                slot: attempt.slot,
                items: attempt.items.map { WorkItem($0) },
                argv: attempt.command,
                startedAt: attempt.startedAt,
                endedAt: attempt.endedAt,
                exit: attempt.exit,
                timeoutSeconds: attempt.timeoutSeconds,
                logTail: attempt.logTail,
                resultFile: resultFile(attempt.junitState),
                accepted: attempt.accepted
            )
        }
        let tests = stored.testAttempts.map { attempt in
            TestAttemptRecord(
                result: TestCaseResult(
                    id: attempt.testID,
                    file: attempt.file,
                    classname: attempt.classname,
                    name: attempt.name,
                    status: attempt.status,
                    duration: attempt.duration,
                    failure: attempt.failure,
                    skipReason: attempt.skipReason
                ),
                shardId: shardName(attempt.shardID ?? 0),
                shardAttempt: attempt.shardAttempt ?? 1,
                retryIndex: attempt.retryIndex,
                workerId: attempt.workerID
            )
        }
        let items = stored.items.map { item in
            TestShardReport.ItemFinalState(
                item: WorkItem(item.item),
                outcome: outcome(item.finalState),
                reason: notRunReason(item.finalState, reason: item.reason),
                detail: item.detail,
                shardId: item.shardID.map(shardName),
                shardAttempt: item.shardAttempt,
                estimateSeconds: item.estimate
            )
        }

        let kind: RunKind =
            switch run.kind {
            case .rerun: .rerun
            case .resume: .resume
            case .run, .import: .run
            }
        let meta = RunMeta(
            id: run.id,
            kind: kind,
            parentRunId: run.parentRunID,
            suite: run.suite,
            revision: run.gitRevision,
            branch: run.branch,
            profile: run.profile,
            categoriesSelected: run.categories,
            startedAt: run.startedAt,
            endedAt: ending.endedAt,
            endReason: ending.reason,
            deadlineSeconds: ending.deadlineSeconds
        )
        let failedNow = Set(tests.filter { $0.result.status.isFailure }.map(\.result.id))
        let history = try self.history(
            runID: runID,
            parentRunID: run.kind == .rerun ? run.parentRunID : nil,
            store: store,
            window: window,
            failedNow: failedNow
        )
        return RunSnapshot(
            run: meta,
            configuration: reportConfiguration,
            expectedFiles: expectedFiles,
            workers: workers,
            shardAttempts: shards,
            testAttempts: tests,
            itemStates: items,
            history: history
        )
    }

    // MARK: - History

    static func history(
        runID: String,
        parentRunID: String?,
        store: HistoryStore,
        window: Int,
        failedNow: Set<String>
    ) throws -> RunHistory {
        let runs = try store.comparableRuns(endingAt: runID, limit: window)
        let earlier = Array(runs.dropFirst())
        let earlierReports = earlier.prefix(1).compactMap { run in
            (try? store.report(runID: run.id)).flatMap { $0 }.flatMap { try? ReportJSON.decodeDigest($0) }
        }
        var historicalRuns = earlier.map { run in
            HistoricalRun(id: run.id, startedAt: run.startedAt, revision: run.gitRevision, massFailure: false)
        }
        var previous: PreviousRunSummary? = nil
        let previousRunID = parentRunID ?? earlier.first?.id
        if let previousRunID, let stored = try store.run(id: previousRunID) {
            let report =
                previousRunID == earlier.first?.id
                ? earlierReports.first
                : (try? store.report(runID: previousRunID)).flatMap { $0 }.flatMap { try? ReportJSON.decodeDigest($0) }
            previous = PreviousRunSummary(
                id: stored.id,
                startedAt: stored.startedAt,
                revision: stored.gitRevision,
                counts: report?.fileCounts ?? FileCounts(),
                clusterIds: report?.clusterIds.sorted() ?? [],
                files: report?.files
            )
        }
        guard !earlier.isEmpty || previous != nil else { return RunHistory(previousRun: previous) }
        _ = historicalRuns

        // Tests: every test that failed in the window or in this run, with its attempts per run.
        let candidates = try store.failedTestIDs(runIDs: earlier.map(\.id)).union(failedNow)
        var testHistories: [TestHistory] = []
        if !candidates.isEmpty {
            let verdicts = try store.testVerdictHistory(testIDs: candidates.sorted(), endingAt: runID, runs: window)
            for (testID, perRun) in verdicts.attempts.sorted(by: { $0.key < $1.key }) {
                var records: [TestRunRecord] = []
                for (index, attempts) in perRun.enumerated().dropFirst() where !attempts.isEmpty {
                    records.append(
                        TestRunRecord(
                            runId: verdicts.runs[index].id,
                            attempts: attempts.map(\.status)
                        )
                    )
                }
                if !records.isEmpty { testHistories.append(TestHistory(id: testID, runs: records)) }
            }
        }

        // A rerun is compared with its parent (another kind of run, so not in the window): add the
        // parent's attempts of every test that failed there or now.
        if let parentRunID, let parent = try store.run(id: parentRunID),
            !historicalRuns.contains(where: { $0.id == parentRunID })
        {
            historicalRuns.insert(
                HistoricalRun(id: parent.id, startedAt: parent.startedAt, revision: parent.gitRevision),
                at: 0
            )
            let parentAttempts = try store.testAttempts(runID: parentRunID)
            let failedInParent = Set(parentAttempts.filter { $0.status.isFailure }.map(\.testID))
            let wanted = failedInParent.union(failedNow)
            var byTest: [String: [StoredTestAttempt]] = [:]
            for attempt in parentAttempts where wanted.contains(attempt.testID) {
                byTest[attempt.testID, default: []].append(attempt)
            }
            for (testID, attempts) in byTest {
                let record = TestRunRecord(
                    runId: parentRunID,
                    attempts: attempts.sorted { $0.retryIndex < $1.retryIndex }.map(\.status)
                )
                if let index = testHistories.firstIndex(where: { $0.id == testID }) {
                    testHistories[index].runs.insert(record, at: 0)
                } else {
                    testHistories.append(TestHistory(id: testID, runs: [record]))
                }
            }
            testHistories.sort { $0.id < $1.id }
        }

        // Clusters: what the store knows about signatures seen before this run.
        let signatureRuns = try store.signatureHistory(signatures: nil, endingAt: runID, runs: window)
        let known = try store.clusterSignatures()
        var clusters: [ClusterHistory] = []
        var notes: [String: String] = [:]
        for (signature, record) in known.sorted(by: { $0.key < $1.key }) {
            guard record.firstSeenRun != runID else { continue }
            let counts = signatureRuns.attempts[signature] ?? []
            // Streak: consecutive earlier comparable runs (from the previous one back) that saw it.
            var streak = 0
            var since: String? = nil
            for index in counts.indices.dropFirst() {
                guard counts[index] > 0 else { break }
                streak += 1
                since = signatureRuns.runs[index].id
            }
            clusters.append(
                ClusterHistory(
                    id: signature,
                    title: record.title,
                    firstSeenRunId: record.firstSeenRun,
                    firstSeenAt: record.firstSeenAt,
                    lastSeenRunId: record.lastSeenRun == runID
                        ? (record.previousSeenRun ?? record.lastSeenRun) : record.lastSeenRun,
                    lastSeenAt: record.lastSeenAt,
                    streakRuns: streak,
                    streakSinceRunId: since,
                    lastFiles: record.lastFiles
                )
            )
            if let note = record.note { notes[signature] = note }
        }
        return RunHistory(
            runs: historicalRuns,
            previousRun: previous,
            tests: testHistories,
            clusters: clusters,
            notes: notes
        )
    }

    // MARK: - Mapping

    static func configuration(_ suite: SuiteConfiguration) -> TestShardReport.ReportConfiguration {
        TestShardReport.ReportConfiguration(
            repoRoots: [suite.root],
            areas: suite.areas.map { area in
                AreaDefinition(
                    id: area.id,
                    criticality: TestShardReport.AreaCriticality(rawValue: area.criticality.rawValue) ?? .normal,
                    owner: area.owner,
                    globs: area.globs.map(\.pattern)
                )
            },
            categories: suite.categories.map { CategoryDefinition(id: $0.id, globs: $0.globs.map(\.pattern)) },
            triageRules: suite.triageRules.map { rule in
                TriageRule(
                    id: rule.id,
                    category: CauseCategory(rawValue: rule.category.rawValue) ?? .unknown,
                    message: rule.message?.pattern,
                    type: rule.type?.pattern,
                    exitKind: rule.exitKind,
                    action: rule.action,
                    severityFloor: rule.severityFloor.flatMap { Severity(rawValue: $0.rawValue) }
                )
            },
            quarantine: suite.quarantine.map {
                QuarantineEntry(id: $0.id, reason: $0.reason, expires: $0.expires.map { "\($0)" })
            },
            masks: suite.report.masks.map(\.pattern),
            retries: suite.retries,
            shardTimeoutSeconds: suite.shardTimeoutSeconds,
            thresholds: ReportThresholds(window: suite.report.flakyWindow)
        )
    }

    static func shardName(_ number: Int) -> String {
        "s" + String(number).leftPadded(to: 4)
    }

    static func resultFile(_ state: String?) -> ResultFileState {
        switch state {
        case "ok": .ok
        case "empty": .empty
        case "truncated", "corrupt": .corrupt
        default: .missing
        }
    }

    static func outcome(_ state: StoredRunItem.State?) -> ItemOutcome {
        switch state {
        case .passed, .noTests: .passed
        case .failed: .failed
        case .flaky: .flaky
        case .skipped: .skipped
        case .timeout: .timeout
        case .crashed: .crashed
        case .lost: .lost
        case .noResults, .notRun, nil: .notRun
        }
    }

    static func notRunReason(_ state: StoredRunItem.State?, reason: String?) -> TestShardReport.NotRunReason? {
        switch state {
        case .noResults: return .noResults
        case .notRun:
            switch reason ?? "" {
            case "deadline": return .deadline
            case "cancelled", "no workers": return .cancelled
            case "collection error": return .collectionError
            case let text where text.hasPrefix("refused"): return .refused
            default: return .neverScheduled
            }
        case nil: return .neverScheduled
        default: return nil
        }
    }
}
