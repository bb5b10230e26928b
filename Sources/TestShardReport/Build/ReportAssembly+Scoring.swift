import Foundation
import TestShardModel

extension ReportAssembly {
    // MARK: 10. Areas

    mutating func measureAreas() {
        var byArea: [String: [Int]] = [:]
        for (slot, file) in files.enumerated() {
            for area in file.areas { byArea[area, default: []].append(slot) }
        }
        areas = snapshot.configuration.areas.map { definition in
            let slots = byArea[definition.id] ?? []
            var counts = FileCounts()
            var notEffective = 0
            for slot in slots {
                counts.add(files[slot].state)
                if !files[slot].effectivelyTested { notEffective += 1 }
            }
            let status: AreaReport.Status
            if slots.isEmpty {
                status = .notSelected
            } else if Double(notEffective) >= thresholds.blindFraction * Double(slots.count) {
                status = .blind
            } else if counts.failed > 0 || counts.notRun > 0 {
                status = .degraded
            } else {
                status = .covered
            }
            return AreaReport(
                id: definition.id,
                criticality: definition.criticality,
                owner: definition.owner,
                expected: slots.count,
                ran: slots.count - counts.notRun,
                passed: counts.passed,
                failed: counts.failed,
                flaky: counts.flaky,
                skipped: counts.skipped,
                quarantinedFailed: counts.quarantinedFailed,
                notRun: counts.notRun,
                notEffectivelyTested: notEffective,
                status: status,
                topCluster: nil
            )
        }
    }

    // MARK: 11. Severity, priority, next action, repro

    mutating func rankClusters() {
        let criticality = Dictionary(
            snapshot.configuration.areas.map { ($0.id, $0.criticality) },
            uniquingKeysWith: { first, _ in first }
        )
        let areaSize = Dictionary(areas.map { ($0.id, $0.expected) }, uniquingKeysWith: { first, _ in first })
        let red = files.contains { $0.state == .failed }
        let notEffective = files.filter { !$0.effectivelyTested }.count
        let runMostlyUntested = red && Double(notEffective) >= 0.25 * Double(max(files.count, 1))

        for index in clusters.indices {
            var report = clusters[index].report
            let a = report.areas.compactMap { criticality[$0]?.weight }.max() ?? 1
            let b: Double = report.blocksCoverage || report.exitKind == .timeout ? 2 : 1
            clusters[index].areaWeight = a

            // Severity (report-anchors §8.7).
            let hitsTenPercentOfCritical = report.areas.contains { area in
                guard criticality[area] == .critical, let size = areaSize[area], size > 0 else { return false }
                let hit = report.files.filter { path in fileIndex[path].map { files[$0].areas.contains(area) } ?? false
                }
                return Double(hit.count) >= 0.1 * Double(size)
            }
            var severity: Severity
            let minor = report.flakyOnly || report.quarantinedOnly || report.recovered
            if minor {
                severity = .low
            } else if (a == 3 && (b == 2 || hitsTenPercentOfCritical))
                || (runMostlyUntested && (report.blocksCoverage || report.category.isInfrastructureLike))
            {
                severity = .critical
            } else if ([.new, .regressed].contains(report.status)
                && [.product, .testInfrastructure].contains(report.category) && a >= 2)
                || (report.status == .ongoing && report.ageRuns >= 3)
            {
                severity = .high
            } else {
                severity = .medium
            }
            if !minor, let floor = clusters[index].rule?.rule.severityFloor, floor > severity { severity = floor }
            report.severity = severity

            // Priority: S_cat × A × (1 + log2(1 + files)) × (1 + 0.5·log2(1 + age)) × B × R, with age
            // counting the runs before this one.
            let age = Double(max(report.ageRuns - 1, 0))
            let r = report.status.priorityWeight * (report.recovered || report.quarantinedOnly ? 0.5 : 1)
            report.priority = round4(
                report.category.weight * a * (1 + log2(1 + Double(report.files.count))) * (1 + 0.5 * log2(1 + age))
                    * b * r
            )
            report.nextAction = nextAction(for: report, rule: clusters[index].rule)
            report.repro = repro(for: clusters[index])
            clusters[index].report = report
        }
        clusters.sort { lhs, rhs in
            (lhs.report.priority, lhs.report.severity, rhs.report.id) > (
                rhs.report.priority, rhs.report.severity, lhs.report.id
            )
        }
        clusterIndex = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($1.report.id, $0) })

        for index in areas.indices {
            areas[index].topCluster = clusters.first { $0.report.areas.contains(areas[index].id) }?.report.id
        }
    }

    private func nextAction(for cluster: ClusterReport, rule: CompiledRule?) -> String {
        let lastLine = cluster.lastLogLines.last ?? cluster.exampleRaw
        let example = cluster.files.first ?? cluster.exampleFrom
        var action: String
        if let text = rule?.rule.action, !text.isEmpty {
            action = text.replacingOccurrences(of: "{last_line}", with: Self.clip(lastLine, 160))
                .replacingOccurrences(of: "{file}", with: example)
        } else if cluster.categorySource.hasPrefix("heuristic:worker_concentration"), let worker = cluster.suspectWorker
        {
            let share = cluster.workers.first { $0.worker == worker }.map { Int(($0.fraction * 100).rounded()) } ?? 0
            action =
                "\(share)% of these failures ran on worker \(worker): check that host (disk, memory, services, clock), drain it if sick, and rerun its shards elsewhere"
        } else if cluster.categorySource == "heuristic:mass_failure" {
            action =
                "Most of the run failed with one signature: something shared is broken (image, services, config); fix it before reading other clusters"
        } else if let kind = cluster.exitKind {
            switch kind {
            case .lost:
                action = "A worker went away during the shard: check its host and network; its items were requeued"
            case .crash:
                action =
                    "The runner crashed (last output: \"\(Self.clip(lastLine, 120))\"): run the repro to see whether this file kills the interpreter"
            case .noResults:
                action = "The runner ended without a usable result file: check the runner's output and the JUnit path"
            case .timeout:
                action =
                    "The shard hit its time limit; its last output was \"\(Self.clip(lastLine, 120))\": find what it waits for"
            default:
                action = "The shard ended as \(kind.rawValue): look at the worker's log for it"
            }
        } else {
            switch cluster.category {
            case .product: action = "Fix the failing assertion in \(example) (\(cluster.tests.count) test(s))"
            case .testInfrastructure: action = "Fix the fixture or setup that raises this in \(example)"
            case .environment:
                action = "Check what the tests need around them on the workers (services, ports, packages)"
            case .infrastructure: action = "Check the workers and the harness; rerun the affected shards once fixed"
            case .unknown:
                action =
                    "Investigate \(example); once the cause is known, add a [[triage_rule]] so it is recognized next time"
            }
        }
        if cluster.flakyOnly {
            action = "Flaky (passed on retry): \(action); quarantine it if it keeps flaking"
        } else if let worker = cluster.suspectWorker,
            !cluster.categorySource.hasPrefix("heuristic:worker_concentration")
        {
            action += " (most failures ran on worker \(worker))"
        }
        return action
    }

    /// The worker's exact command for one affected file: the recorded argv of its shard with the
    /// shard's items (or its `--testshard-items` list and folder) replaced by that file.
    private func repro(for cluster: ClusterWork) -> ReproCommand? {
        let members = cluster.occurrences.map { occurrences[$0] }
        let withCommand = members.first { occurrence in
            occurrence.shardKey.flatMap { shardByKey[$0] }.map { !$0.argv.isEmpty } ?? false
        }
        guard let occurrence = withCommand ?? members.first else { return nil }
        let file = occurrence.files.first ?? occurrence.file
        guard let key = occurrence.shardKey, let shard = shardByKey[key], !shard.argv.isEmpty else {
            let argv = ["testshard-coordinator", "run", "--files", file]
            return ReproCommand(
                file: file,
                shard: nil,
                worker: nil,
                argv: argv,
                command: ShellQuoting.join(argv),
                note: "no worker command was recorded for it; this runs the file through TestShard"
            )
        }
        let items = Set(shard.items.map(\.id))
        let positions = shard.argv.indices.filter { items.contains(shard.argv[$0]) }
        var argv = shard.argv
        var note: String?
        // A large pytest shard went to pytest as `--testshard-items=LIST FOLDER` (the worker's
        // hand-off, read by its own plugin); the file alone stands for both.
        if let listing = argv.firstIndex(where: { $0.hasPrefix("--testshard-items=") }), listing + 1 < argv.count {
            argv.replaceSubrange(listing...(listing + 1), with: [file])
        } else if let first = positions.first {
            for position in positions.reversed() { argv.remove(at: position) }
            argv.insert(file, at: first)
        } else {
            note = "the runner reads its items from a file (items_file): put \(file) in it, alone"
        }
        return ReproCommand(
            file: file,
            shard: key,
            worker: shard.workerId,
            argv: argv,
            command: ShellQuoting.join(argv),
            note: note
        )
    }
}
