import Foundation
import TestShardModel

extension ReportAssembly {
    // MARK: 12. Sections

    func makeReport() -> GardenerReport {
        let testsById = Dictionary(testReports.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let shards = shardReports(testsById: testsById)
        let coverage = coverageReport()
        let counts = fileCounts()
        let verdict = verdict(counts: counts, coverage: coverage)
        let rulesHash = self.rulesHash()
        let clusterReports = clusters.map(\.report)
        return GardenerReport(
            run: RunInfo(
                id: snapshot.run.id,
                kind: snapshot.run.kind,
                parentRunId: snapshot.run.parentRunId,
                suite: snapshot.run.suite,
                revision: snapshot.run.revision,
                branch: snapshot.run.branch,
                profile: snapshot.run.profile,
                categoriesSelected: snapshot.run.categoriesSelected,
                startedAt: snapshot.run.startedAt,
                endedAt: snapshot.run.endedAt,
                endReason: snapshot.run.endReason,
                deadlineSeconds: snapshot.run.deadlineSeconds,
                wallSeconds: round3(max(0, snapshot.run.endedAt - snapshot.run.startedAt)),
                workerSeconds: round3(shards.reduce(0) { $0 + $1.durationSeconds }),
                comparedWith: snapshot.history.previousRun?.id,
                comparedWithStartedAt: snapshot.history.previousRun?.startedAt,
                normalizer: SignatureNormalizer.algorithm,
                rulesHash: rulesHash,
                massFailure: runMassFailure
            ),
            verdict: verdict,
            summary: summary(counts: counts),
            areas: areas,
            categories: categoryReports(),
            workers: workerReports(shards: shards),
            shards: shards,
            files: fileReports(),
            tests: testReports,
            clusters: clusterReports,
            flaky: flakyReports(),
            fixed: FixedReport(tests: fixedTests, clusters: fixedClusters()),
            coverage: coverage,
            quarantine: quarantineReport(),
            reruns: rerunOutcomes,
            nextActions: nextActions(shards: shards, coverage: coverage),
            appendix: ReportAppendix(
                normalizer: SignatureNormalizer.algorithm,
                masks: normalizer.masks.map(\.pattern),
                rules: rules.map { rule in
                    RuleInfo(
                        id: rule.rule.id,
                        source: rule.origin == "rule" ? "config" : "builtin",
                        category: rule.rule.category,
                        matches: Self.describe(rule.rule),
                        clusters: clusterReports.filter { $0.categorySource == rule.source }.count
                    )
                },
                thresholds: thresholds,
                warnings: warnings
            )
        )
    }

    // MARK: Files and counts

    private func fileCounts() -> FileCounts {
        var counts = FileCounts()
        for file in files { counts.add(file.state) }
        return counts
    }

    private func fileReports() -> [FileReport] {
        files.map { file in
            FileReport(
                path: file.path,
                state: file.state,
                notRunReason: file.notRunReason,
                incompleteReason: file.incompleteReason,
                detail: file.detail.map { Self.clip($0, 500) },
                areas: file.areas,
                categories: file.categories,
                quarantined: file.quarantined,
                tests: file.tests,
                durationSeconds: round3(file.duration),
                estimateSeconds: file.estimate.map(round3),
                shards: file.shards.map { shardKeys[$0] }.sorted(),
                clusters: file.clusters.sorted { (clusterIndex[$0] ?? 0) < (clusterIndex[$1] ?? 0) },
                effectivelyTested: file.effectivelyTested
            )
        }
    }

    private func categoryReports() -> [CategoryReport] {
        let selected = Set(snapshot.run.categoriesSelected)
        var byCategory: [String: FileCounts] = [:]
        for file in files {
            for category in file.categories { byCategory[category, default: FileCounts()].add(file.state) }
        }
        var ids = snapshot.configuration.categories.map(\.id)
        for id in byCategory.keys.sorted() where !ids.contains(id) { ids.append(id) }
        return ids.map { id in
            CategoryReport(
                id: id,
                selected: selected.isEmpty || selected.contains(id),
                counts: byCategory[id] ?? FileCounts()
            )
        }
    }

    // MARK: Shards and workers

    private func shardReports(testsById: [String: TestReport]) -> [ShardReport] {
        var clustersByShard: [String: Set<String>] = [:]
        for occurrence in occurrences {
            if let key = occurrence.shardKey { clustersByShard[key, default: []].insert(occurrence.signature.id) }
        }
        let lanes = laneAssignment()
        let reports = snapshot.shardAttempts.enumerated().map { slot, shard -> ShardReport in
            let key = shardKeys[slot]
            let end = max(shard.endedAt ?? snapshot.run.endedAt, shard.startedAt)
            var counts = AttemptCounts()
            var firstFailure: (String, Int)?
            for index in attemptsByShard[slot] {
                counts.add(attempts[index].result.status)
                if failureTexts[index] != nil {
                    let id = attempts[index].result.id
                    if firstFailure == nil || id < firstFailure!.0 { firstFailure = (id, index) }
                }
            }
            var firstSignal: String?
            if Self.failedExitKinds.contains(shard.exit.kind) {
                firstSignal = LogLines.lastMeaningful(shard.logTail) ?? shard.exit.reason
            } else if let (_, index) = firstFailure, let cluster = attemptCluster[index] {
                firstSignal = clusterIndex[cluster].map { clusters[$0].report.normalized }
            }
            return ShardReport(
                id: shard.shardId,
                attempt: shard.attempt,
                workerId: shard.workerId,
                slot: lanes[key] ?? 0,
                items: shard.items.map(\.id),
                command: ShellQuoting.join(shard.argv),
                startedAt: shard.startedAt,
                endedAt: end,
                durationSeconds: round3(end - shard.startedAt),
                exit: shard.exit,
                exitLabel: Self.exitLabel(shard),
                timeoutSeconds: shard.timeoutSeconds,
                tests: counts,
                firstSignal: firstSignal.map { Self.clip($0, 300) },
                logTail: LogLines.tail(shard.logTail, count: 20),
                resultFile: shard.resultFile,
                accepted: shard.accepted,
                problem: shard.exit.kind != .ok || !shard.accepted,
                clusters: (clustersByShard[key] ?? []).sorted { (clusterIndex[$0] ?? 0) < (clusterIndex[$1] ?? 0) },
                rerunAdvice: shard.accepted ? rerunAdvice(slot: slot, testsById: testsById) : nil
            )
        }
        // Stopped shards first (they lost results), then discarded, failing, withdrawn, fine.
        func rank(_ shard: ShardReport) -> Int {
            switch shard.exit.kind {
            case .timeout, .crash, .lost, .noResults: 0
            case _ where !shard.accepted: 1
            case .refused: 1
            case .testsFailed: 2
            case .cancelled: 3
            case .ok: 4
            }
        }
        return reports.sorted { lhs, rhs in
            (rank(lhs), lhs.startedAt, lhs.id, lhs.attempt) < (rank(rhs), rhs.startedAt, rhs.id, rhs.attempt)
        }
    }

    /// Timeline lanes: the recorded slot, or the first lane of the worker free at the start.
    private func laneAssignment() -> [String: Int] {
        var lanes: [String: Int] = [:]
        var byWorker: [String: [ShardAttemptRecord]] = [:]
        for shard in snapshot.shardAttempts { byWorker[shard.workerId ?? "", default: []].append(shard) }
        for (_, shards) in byWorker {
            var laneEnds: [Double] = []
            for shard in shards.sorted(by: {
                ($0.startedAt, $0.shardId, $0.attempt) < ($1.startedAt, $1.shardId, $1.attempt)
            }) {
                let end = shard.endedAt ?? snapshot.run.endedAt
                let lane: Int
                if let slot = shard.slot, slot >= 0 {
                    lane = slot
                } else if let free = laneEnds.firstIndex(where: { $0 <= shard.startedAt }) {
                    lane = free
                } else {
                    lane = laneEnds.count
                }
                while laneEnds.count <= lane { laneEnds.append(-Double.infinity) }
                laneEnds[lane] = max(laneEnds[lane], end)
                lanes[Self.shardKey(shard.shardId, shard.attempt)] = lane
            }
        }
        return lanes
    }

    /// Rerun or fix (report-anchors §8.4), for an attempt whose failures are still failures.
    private func rerunAdvice(slot: Int, testsById: [String: TestReport]) -> RerunAdvice? {
        var worst = 1.0
        var infra = false
        var failing = 0
        for index in attemptsByShard[slot] where failureTexts[index] != nil {
            guard let test = testsById[attempts[index].result.id], test.verdict == .failed else { continue }
            failing += 1
            worst = min(worst, test.flakiness?.passWithinTwo ?? 0)
            if let cluster = attemptCluster[index].flatMap({ clusterIndex[$0] }),
                clusters[cluster].report.category.isInfrastructureLike
            {
                infra = true
            }
        }
        guard failing > 0 else { return nil }
        let rerun = !infra && worst >= 0.9
        let reason =
            infra
            ? "a failure here is infrastructure or environment: fix that first, a rerun would hit it again"
            : rerun
                ? "every failed test here passes within two tries with P ≥ \(Self.percent(worst))"
                : "a failed test here passes within two tries with P = \(Self.percent(worst)) only: fix it rather than rerun"
        return RerunAdvice(rerun: rerun, passWithinTwo: round4(worst), reason: reason)
    }

    static func exitLabel(_ shard: ShardAttemptRecord) -> String {
        var label: String
        switch shard.exit.kind {
        case .ok: label = "OK"
        case .testsFailed: label = "TESTS_FAILED"
        case .timeout:
            label = shard.timeoutSeconds.map { "TIMEOUT (>\(DurationText.format($0)))" } ?? "TIMEOUT"
        case .crash:
            if let signal = shard.exit.signal {
                label = "CRASH (signal \(signal))"
            } else if let code = shard.exit.code {
                label = "CRASH (exit \(code))"
            } else {
                label = "CRASH"
            }
        case .noResults: label = "NO_RESULTS"
        case .lost: label = "LOST"
        case .refused: label = "REFUSED"
        case .cancelled: label = "CANCELLED"
        }
        return shard.accepted ? label : label + " [discarded]"
    }

    private func workerReports(shards: [ShardReport]) -> [WorkerReport] {
        var byWorker: [String: [ShardReport]] = [:]
        for shard in shards { if let worker = shard.workerId { byWorker[worker, default: []].append(shard) } }
        var failuresByWorker: [String: Int] = [:]
        for (index, attempt) in attempts.enumerated() where failureTexts[index] != nil {
            if let worker = attempt.workerId ?? shard(ofAttempt: index)?.workerId {
                failuresByWorker[worker, default: 0] += 1
            }
        }
        return snapshot.workers.sorted { $0.id < $1.id }.map { worker in
            let mine = byWorker[worker.id] ?? []
            let busy = mine.reduce(0) { $0 + $1.durationSeconds }
            let present = max((worker.leftAt ?? snapshot.run.endedAt) - worker.joinedAt, 0)
            let capacity = Double(max(worker.slots, 1)) * present
            return WorkerReport(
                id: worker.id,
                name: worker.name,
                host: worker.host,
                slots: worker.slots,
                joinedAt: worker.joinedAt,
                leftAt: worker.leftAt,
                lost: worker.lost,
                lostReason: worker.lostReason,
                shardAttempts: mine.count,
                problemAttempts: mine.filter { ![.ok, .testsFailed, .cancelled].contains($0.exit.kind) }.count,
                testFailures: failuresByWorker[worker.id] ?? 0,
                busySeconds: round3(busy),
                utilization: capacity > 0 ? round4(min(busy / capacity, 1)) : 0,
                concentratedClusters: clusters.filter { $0.report.suspectWorker == worker.id }.map(\.report.id)
            )
        }
    }

    // MARK: Coverage, quarantine, flaky

    private func coverageReport() -> CoverageReport {
        func entry(_ file: FileInfo, reason: NotRunReason) -> NotRunFile {
            NotRunFile(
                file: file.path,
                reason: reason,
                shard: file.notRunShard,
                detail: file.detail.map { Self.clip($0, 300) },
                estimateSeconds: file.estimate.map(round3),
                quarantined: file.quarantined
            )
        }
        let notRun = files.compactMap { file in file.notRunReason.map { entry(file, reason: $0) } }
            .sorted { ($0.reason.precedence, $0.file) < ($1.reason.precedence, $1.file) }
        let partial = files.compactMap { file in file.incompleteReason.map { entry(file, reason: $0) } }
        var byReason: [NotRunReason: Int] = [:]
        for file in notRun { byReason[file.reason, default: 0] += 1 }
        var hidden = tests.filter { $0.quarantineEntry != nil && $0.verdict == .failed }.map(\.id)
        hidden += files.filter { $0.quarantined && $0.state == .notRun }.map(\.path)
        let previousFiles = snapshot.history.previousRun?.files.map(Set.init)
        let current = Set(files.map(\.path))
        let estimate = notRun.reduce(0) { $0 + ($1.estimateSeconds ?? 0) }
        let slots = max(snapshot.workers.reduce(0) { $0 + max($1.slots, 0) }, 1)
        return CoverageReport(
            expectedFiles: files.count,
            filesWithResult: files.count - notRun.count,
            notRun: notRun,
            byReason: NotRunReason.allCases.compactMap { reason in
                byReason[reason].map { ReasonCount(reason: reason, files: $0) }
            },
            partial: partial,
            notEffectivelyTested: files.filter { !$0.effectivelyTested && $0.state != .notRun }.map(\.path),
            hiddenByQuarantine: hidden.sorted(),
            skippedFiles: files.filter { $0.state == .skipped }.count,
            inventoryAdded: previousFiles.map { current.subtracting($0).sorted() } ?? [],
            inventoryRemoved: previousFiles.map { $0.subtracting(current).sorted() } ?? [],
            notRunEstimateSeconds: round3(estimate),
            notRunEstimateWallSeconds: round3(estimate / Double(slots))
        )
    }

    private func quarantineReport() -> QuarantineReport {
        var matched: [String: (tests: Int, failed: Int)] = [:]
        for unit in tests {
            guard let entry = unit.quarantineEntry else { continue }
            matched[entry, default: (0, 0)].tests += 1
            if unit.verdict == .failed { matched[entry, default: (0, 0)].failed += 1 }
        }
        func status(_ entry: QuarantineEntry, active: Bool) -> QuarantineStatus {
            // An expired entry no longer applies: count what it would have covered.
            let covered =
                active
                ? matched[entry.id]?.tests ?? 0
                : tests.lazy.filter { unit in
                    unit.id == entry.id || unit.file == entry.id || unit.id.hasPrefix(entry.id + WorkItem.separator)
                }.count
            return QuarantineStatus(
                id: entry.id,
                reason: entry.reason,
                expires: entry.expires,
                matchedTests: covered,
                hiddenFailures: active ? matched[entry.id]?.failed ?? 0 : 0
            )
        }
        return QuarantineReport(
            active: activeQuarantine.values.sorted { $0.id < $1.id }.map { status($0, active: true) },
            expired: expiredQuarantine.sorted { $0.id < $1.id }.map { status($0, active: false) }
        )
    }

    private func flakyReports() -> [FlakyTestReport] {
        let owners = Dictionary(
            snapshot.configuration.areas.compactMap { area in area.owner.map { (area.id, $0) } },
            uniquingKeysWith: { first, _ in first }
        )
        return testReports.filter { $0.verdict == .flaky || $0.flakiness?.label == .flaky }.compactMap { test in
            guard let score = test.flakiness else { return nil }
            let owner = fileIndex[test.file].flatMap { files[$0].areas.lazy.compactMap { owners[$0] }.first }
            return FlakyTestReport(
                id: test.id,
                file: test.file,
                score: score,
                retryPassThisRun: test.verdict == .flaky,
                quarantined: test.quarantined,
                verdicts: test.history.verdicts,
                owner: owner
            )
        }.sorted { ($0.score.theta, $1.id) > ($1.score.theta, $0.id) }
    }

    // MARK: Summary and verdict

    private func summary(counts: FileCounts) -> ReportSummary {
        var filesByCause: [CauseCategory: Int] = [:]
        for file in files where [.failed, .notRun, .quarantinedFailed].contains(file.state) {
            guard let top = file.clusters.compactMap({ clusterIndex[$0] }).min() else { continue }
            filesByCause[clusters[top].report.category, default: 0] += 1
        }
        var clustersByCause: [CauseCategory: Int] = [:]
        var clustersByStatus: [HistoryStatus: Int] = [:]
        for cluster in clusters {
            clustersByCause[cluster.report.category, default: 0] += 1
            clustersByStatus[cluster.report.status, default: 0] += 1
        }
        var testsByStatus: [HistoryStatus: Int] = [:]
        for test in testReports where test.history.status != .none {
            testsByStatus[test.history.status, default: 0] += 1
        }
        var testCounts = TestCounts()
        for unit in tests where !unit.collectionOnly {
            testCounts.total += 1
            testCounts.attempts += unit.attempts.count
            switch unit.verdict {
            case .passed: testCounts.passed += 1
            case .failed:
                if unit.quarantineEntry != nil { testCounts.quarantinedFailed += 1 } else { testCounts.failed += 1 }
            case .flaky: testCounts.flaky += 1
            case .skipped, .notRun: testCounts.skipped += 1
            }
        }
        return ReportSummary(
            files: counts,
            filesDelta: snapshot.history.previousRun.map { counts.delta(from: $0.counts) },
            tests: testCounts,
            byCause: CauseCategory.allCases.compactMap { category in
                let fileCount = filesByCause[category] ?? 0
                let clusterCount = clustersByCause[category] ?? 0
                return fileCount + clusterCount > 0
                    ? CauseCount(category: category, files: fileCount, clusters: clusterCount) : nil
            },
            testsByHistory: HistoryStatus.allCases.compactMap { status in
                testsByStatus[status].map { HistoryCount(status: status, count: $0) }
            },
            clustersByHistory: HistoryStatus.allCases.compactMap { status in
                clustersByStatus[status].map { HistoryCount(status: status, count: $0) }
            },
            oldestOngoingRuns: clusters.filter { $0.report.status == .ongoing }.map(\.report.ageRuns).max(),
            topClusters: clusters.prefix(3).map(\.report.id),
            notes: clusters.compactMap { cluster in
                cluster.report.notes.map { ClusterNote(clusterId: cluster.report.id, note: $0) }
            }
        )
    }

    private func verdict(counts: FileCounts, coverage: CoverageReport) -> ReportVerdict {
        let missing = coverage.notRun.filter { !$0.quarantined }
        let cutShort = snapshot.run.endReason != .completed && !missing.isEmpty
        let status: ReportVerdict.Status =
            cutShort ? .cutShort : counts.failed > 0 ? .red : !missing.isEmpty ? .incomplete : .green
        var parts: [String] = []
        if status == .green {
            parts.append("all \(counts.files) file(s) have a result and none failed")
        }
        if counts.failed > 0 { parts.append("\(counts.failed) file(s) failed") }
        let newClusters = clusters.filter { [.new, .regressed].contains($0.report.status) }.count
        if newClusters > 0 { parts.append("\(newClusters) new or regressed cluster(s)") }
        let hurt = areas.filter { $0.criticality == .critical && [.degraded, .blind].contains($0.status) }
        if !hurt.isEmpty {
            let blind = hurt.filter { $0.status == .blind }.count
            parts.append(
                "\(hurt.count) critical area(s) \(blind == hurt.count ? "blind" : blind > 0 ? "degraded or blind" : "degraded")"
            )
        }
        if !coverage.notRun.isEmpty {
            let reasons = coverage.byReason.map { "\($0.reason.label.lowercased()) \($0.files)" }.joined(
                separator: ", "
            )
            parts.append("\(coverage.notRun.count) file(s) not run (\(reasons))")
        }
        if counts.flaky > 0 { parts.append("\(counts.flaky) flaky file(s)") }
        if counts.quarantinedFailed > 0 {
            parts.append("\(counts.quarantinedFailed) quarantined failure(s) not counted")
        }
        if snapshot.run.endReason == .deadline {
            let limit = snapshot.run.deadlineSeconds.map { " \(DurationText.format($0))" } ?? ""
            parts.append(
                "deadline\(limit) reached with about \(DurationText.format(coverage.notRunEstimateWallSeconds)) of work left"
            )
        } else if snapshot.run.endReason != .completed {
            parts.append("run \(snapshot.run.endReason.rawValue)")
        }
        let exitStatus: Int32 = !missing.isEmpty ? 3 : counts.failed > 0 ? 1 : 0
        return ReportVerdict(
            status: status,
            line: "\(status.label) — " + parts.joined(separator: ", ") + ".",
            exitStatus: exitStatus
        )
    }

    // MARK: Next actions

    private func nextActions(shards: [ShardReport], coverage: CoverageReport) -> [NextAction] {
        var actions: [NextAction] = []
        for cluster in clusters.map(\.report) {
            let scope =
                cluster.files.isEmpty
                ? ""
                : " → \(cluster.files.count) file(s)"
                    + (cluster.areas.isEmpty ? "" : " in " + cluster.areas.joined(separator: ", "))
            actions.append(
                NextAction(
                    rank: 0,
                    severity: cluster.severity,
                    title:
                        "\(cluster.nextAction) (\(Self.shortId(cluster.id)) `\(Self.clip(cluster.normalized, 80).replacingOccurrences(of: "`", with: "'"))`)\(scope)",
                    clusterId: cluster.id,
                    command: cluster.repro?.command,
                    score: cluster.priority
                )
            )
        }
        let rerun = shards.filter { $0.rerunAdvice?.rerun ?? false }.map(\.id)
        if !rerun.isEmpty {
            let unique = Array(Set(rerun)).sorted()
            actions.append(
                NextAction(
                    rank: 0,
                    severity: .medium,
                    title:
                        "Rerun shard(s) \(unique.prefix(10).joined(separator: ", "))\(unique.count > 10 ? " and \(unique.count - 10) more" : ""): every failure there passes within two tries with P ≥ 90%",
                    clusterId: nil,
                    command: (["testshard-coordinator", "rerun", "--from", snapshot.run.id]
                        + unique.flatMap { ["--shard", $0] })
                        .map(ShellQuoting.quote).joined(separator: " "),
                    score: round4(2 * (1 + log2(1 + Double(unique.count))))
                )
            )
        }
        let unexplained = coverage.notRun.filter { file in
            fileIndex[file.file].map { files[$0].clusters.isEmpty } ?? true
        }
        if !unexplained.isEmpty {
            var reasons: [NotRunReason: Int] = [:]
            for file in unexplained { reasons[file.reason, default: 0] += 1 }
            let text = NotRunReason.allCases.compactMap { reason in
                reasons[reason].map { "\(reason.label.lowercased()) \($0)" }
            }.joined(separator: ", ")
            let critical = unexplained.contains { file in
                fileIndex[file.file].map { slot in
                    files[slot].areas.contains { id in
                        snapshot.configuration.areas.contains { $0.id == id && $0.criticality == .critical }
                    }
                } ?? false
            }
            let hint =
                reasons[.deadline] != nil
                ? "raise --deadline or add workers (about \(DurationText.format(coverage.notRunEstimateWallSeconds)) of work left)"
                : "run them again; check why they were not handed out"
            actions.append(
                NextAction(
                    rank: 0,
                    severity: critical ? .high : .medium,
                    title: "\(unexplained.count) file(s) did not run (\(text)): \(hint)",
                    clusterId: nil,
                    command: nil,
                    score: round4(2 * (1 + log2(1 + Double(unexplained.count))) * (critical ? 3 : 1))
                )
            )
        }
        for entry in expiredQuarantine.sorted(by: { $0.id < $1.id }) {
            actions.append(
                NextAction(
                    rank: 0,
                    severity: .low,
                    title:
                        "Quarantine entry \(entry.id) expired on \(entry.expires ?? "?") (\(entry.reason)): fix the test and remove the entry, or renew it",
                    clusterId: nil,
                    command: nil,
                    score: 1
                )
            )
        }
        actions.sort { ($0.score, $0.severity, $1.title) > ($1.score, $1.severity, $0.title) }
        for index in actions.indices { actions[index].rank = index + 1 }
        return actions
    }

    // MARK: Helpers

    static func shortId(_ id: String) -> String { String(id.prefix(11)) + "…" }

    static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded(.down)))%" }

    static func describe(_ rule: TriageRule) -> String {
        var parts: [String] = []
        if let message = rule.message { parts.append("message ~ /\(message)/") }
        if let type = rule.type { parts.append("type = /\(type)/") }
        if let kind = rule.exitKind { parts.append("exit kind \(kind.rawValue)") }
        if let phase = rule.phase { parts.append("phase \(phase.rawValue)") }
        return parts.joined(separator: " and ")
    }

    /// `sha256:` + 16 hex of the rules, masks and normalizer version in force.
    private func rulesHash() -> String {
        var lines = [SignatureNormalizer.algorithm]
        lines += normalizer.masks.map { "mask\t\($0.pattern)" }
        for rule in rules {
            let r = rule.rule
            lines.append(
                [
                    rule.origin, r.id, r.category.rawValue, r.message ?? "", r.type ?? "", r.exitKind?.rawValue ?? "",
                    r.phase?.rawValue ?? "", r.action ?? "", r.severityFloor?.rawValue ?? "",
                ].joined(separator: "\t")
            )
        }
        return "sha256:" + SHA256.hex(lines.joined(separator: "\n")).prefix(16)
    }
}
