import Foundation
import TestShardModel

/// Renders `report.md`, the gardener worklog, from a `GardenerReport` alone.
///
/// Sections: 1 executive summary · 2 critical areas · 3 execution log (shards, reruns, workers) ·
/// 4 discovered issues · 5 flaky tests · 6 fixed · 7 coverage gaps · 8 next actions · appendix.
///
/// The result stays under a byte budget (60 KB by default, so it fits CI summary limits): long
/// lists are cut with a count pointing to `report.html` / `report.json`, and if the whole is still
/// too big the cuts are tightened until it fits.
public enum MarkdownReportRenderer {
    /// The default budget: under 60 KB.
    public static let defaultBudgetBytes = 60_000

    public static func render(_ report: GardenerReport, budgetBytes: Int = defaultBudgetBytes) -> String {
        var limits = Limits()
        var text = ""
        for _ in 0..<12 {
            text = Writer(report: report, limits: limits).document()
            if text.utf8.count <= budgetBytes { return text }
            limits = limits.tightened()
        }
        // Still too big (enormous single values): cut at the budget on a line boundary.
        let note = "\n\n… cut to fit \(budgetBytes / 1000) KB; the full report is in report.html / report.json\n"
        var cut = Substring(text).utf8.prefix(max(budgetBytes - note.utf8.count, 0))
        while let last = cut.last, last != UInt8(ascii: "\n") { cut = cut.dropLast() }
        return String(decoding: cut, as: UTF8.self) + note
    }

    /// How many rows each list may show.
    struct Limits {
        var shards = 60
        var timeoutBlocks = 10
        var workers = 60
        var clusters = 30
        var filesPerCluster = 10
        var flaky = 40
        var fixed = 40
        var notRun = 150
        var partial = 40
        var nextActions = 25
        var areas = 60
        var categories = 40
        var reruns = 60
        var logLines = 5
        var textLength = 400

        func tightened() -> Limits {
            var next = self
            for keyPath in [
                \Limits.shards, \.timeoutBlocks, \.workers, \.clusters, \.filesPerCluster, \.flaky, \.fixed, \.notRun,
                \.partial, \.nextActions, \.areas, \.categories, \.reruns, \.logLines,
            ] as [WritableKeyPath<Limits, Int>] {
                next[keyPath: keyPath] = max(self[keyPath: keyPath] / 2, 1)
            }
            next.textLength = max(textLength / 2, 80)
            return next
        }
    }
}

/// One rendering pass with fixed limits.
private struct Writer {
    let report: GardenerReport
    let limits: MarkdownReportRenderer.Limits
    var out = ""

    init(report: GardenerReport, limits: MarkdownReportRenderer.Limits) {
        self.report = report
        self.limits = limits
        out.reserveCapacity(64_000)
    }

    func document() -> String {
        var writer = self
        writer.header()
        writer.summary()
        writer.areas()
        writer.executionLog()
        writer.issues()
        writer.flaky()
        writer.fixed()
        writer.coverage()
        writer.nextActions()
        writer.appendix()
        return writer.out
    }

    private mutating func line(_ text: String = "") {
        out += text
        out += "\n"
    }

    private func more(_ hidden: Int, _ what: String) -> String {
        "… and \(hidden) more \(what) in report.html / report.json"
    }

    private func clip(_ text: String) -> String {
        text.count > limits.textLength ? String(text.prefix(limits.textLength)) + "…" : text
    }

    // MARK: Header and summary

    private mutating func header() {
        let run = report.run
        line("# Gardener report — \(Markdown.text(run.suite)) — \(run.kind.rawValue) \(Markdown.text(run.id))")
        var facts: [String] = []
        if let revision = run.revision { facts.append("commit \(Markdown.code(String(revision.prefix(12))))") }
        if let branch = run.branch { facts.append("on \(Markdown.text(branch))") }
        facts.append("started \(isoTimestamp(run.startedAt))")
        facts.append("wall \(DurationText.format(run.wallSeconds))")
        facts.append("worker-time \(DurationText.format(run.workerSeconds))")
        facts.append("\(report.workers.count) workers")
        facts.append("\(report.shards.count) shard attempts")
        if let profile = run.profile { facts.append("profile \(Markdown.text(profile))") }
        if !run.categoriesSelected.isEmpty {
            facts.append("categories \(run.categoriesSelected.map(Markdown.text).joined(separator: ", "))")
        }
        if let parent = run.parentRunId { facts.append("parent run \(Markdown.text(parent))") }
        line(facts.joined(separator: " · "))
        line(
            "Compared with: \(run.comparedWith.map(Markdown.text) ?? "— (no earlier comparable run)") · Normalizer: \(run.normalizer) · Rules: \(run.rulesHash)"
        )
        line()
    }

    private mutating func summary() {
        let summary = report.summary
        line("## 1. Executive summary")
        line()
        line("- **Verdict:** \(Markdown.text(report.verdict.line)) (exit status \(report.verdict.exitStatus))")
        let files = summary.files
        let delta = summary.filesDelta
        func count(_ label: String, _ value: Int, _ change: Int?) -> String {
            guard let change, change != 0 else { return "\(label) \(value)" }
            return "\(label) \(value) (\(change > 0 ? "+" : "−")\(abs(change)))"
        }
        line(
            "- **Files** (Δ vs previous): "
                + [
                    count("files", files.files, delta?.files), count("passed", files.passed, delta?.passed),
                    count("failed", files.failed, delta?.failed), count("flaky", files.flaky, delta?.flaky),
                    count("quarantined-failed", files.quarantinedFailed, delta?.quarantinedFailed),
                    count("not run", files.notRun, delta?.notRun), count("skipped", files.skipped, delta?.skipped),
                ].joined(separator: " · ")
        )
        let tests = summary.tests
        line(
            "- **Tests:** \(tests.total) · passed \(tests.passed) · failed \(tests.failed) · flaky \(tests.flaky) · skipped \(tests.skipped) · quarantined-failed \(tests.quarantinedFailed) · attempts \(tests.attempts)"
        )
        if !summary.byCause.isEmpty {
            line(
                "- **Failures by cause** (files by their top cluster; clusters): "
                    + summary.byCause.map { "\($0.category.label) \($0.files) (\($0.clusters) cl.)" }.joined(
                        separator: " · "
                    )
            )
        }
        let fixedCount = summary.testsByHistory.filter { $0.status == .fixed || $0.status == .fixedUnconfirmed }
            .reduce(0) { $0 + $1.count }
        let failingHistory = summary.testsByHistory.filter { $0.status != .fixed && $0.status != .fixedUnconfirmed }
        if !failingHistory.isEmpty || fixedCount > 0 {
            line(
                "- **Failing tests by history:** "
                    + (failingHistory.map { "\($0.status.label) \($0.count)" } + ["FIXED since last: \(fixedCount)"])
                    .joined(separator: " · ")
            )
        }
        if !summary.clustersByHistory.isEmpty {
            var text = summary.clustersByHistory.map { "\($0.status.label) \($0.count)" }.joined(separator: " · ")
            if let oldest = summary.oldestOngoingRuns { text += " (oldest ongoing: \(oldest) runs)" }
            line("- **Clusters:** \(report.clusters.count) — \(text)")
        }
        let ran = report.categories.filter(\.selected).filter { $0.counts.files > 0 }
        if !ran.isEmpty {
            let shown = ran.prefix(limits.categories).map { category in
                let c = category.counts
                return
                    "\(Markdown.text(category.id)) \(c.files) (passed \(c.passed), failed \(c.failed), flaky \(c.flaky), not run \(c.notRun))"
            }
            line(
                "- **Categories ran:** " + shown.joined(separator: " · ")
                    + (ran.count > limits.categories ? " · " + more(ran.count - limits.categories, "categories") : "")
            )
        }
        if !summary.topClusters.isEmpty {
            line("- **Top clusters:**")
            for (rank, id) in summary.topClusters.enumerated() {
                guard let cluster = report.clusters.first(where: { $0.id == id }) else { continue }
                line(
                    "  \(rank + 1). [\(cluster.severity.rawValue)] \(Markdown.code(Markdown.shortId(cluster.id))) \(Markdown.code(clip(cluster.normalized))) — \(cluster.files.count) file(s), \(statusText(cluster.status, age: cluster.ageRuns, since: cluster.sinceRun))\(cluster.areas.isEmpty ? "" : ", areas \(cluster.areas.map(Markdown.text).joined(separator: ", "))")"
                )
            }
        }
        if !summary.notes.isEmpty {
            line("- **Gardener notes carried forward:**")
            for note in summary.notes.prefix(limits.clusters) {
                line("  - \(Markdown.code(Markdown.shortId(note.clusterId))): \(Markdown.text(clip(note.note)))")
            }
        }
        line()
    }

    private func statusText(_ status: HistoryStatus, age: Int, since: String?) -> String {
        switch status {
        case .ongoing: "ONGOING (\(age) runs, since \(since.map(Markdown.text) ?? "?"))"
        case .new: "NEW (first seen this run)"
        default: status.label
        }
    }

    // MARK: 2. Areas

    private mutating func areas() {
        line("## 2. Critical business areas — coverage status")
        line()
        guard !report.areas.isEmpty else {
            line("No `[[area]]` is configured: add areas to testshard.toml to see coverage by business area.")
            line()
            return
        }
        let sorted = report.areas.sorted { lhs, rhs in
            (rank(lhs.criticality), lhs.id) < (rank(rhs.criticality), rhs.id)
        }
        line(
            "| Area (criticality) | Files expected | Ran | Passed | Failed | Flaky | Quar. | Not run | Status | Top cluster |"
        )
        line("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
        for area in sorted.prefix(limits.areas) {
            line(
                "| \(Markdown.cell(area.id)) (\(area.criticality.rawValue)) | \(area.expected) | \(area.ran) | \(area.passed) | \(area.failed) | \(area.flaky) | \(area.quarantinedFailed) | \(area.notRun) | **\(area.status.rawValue)** | \(area.topCluster.map { Markdown.code(Markdown.shortId($0)) } ?? "—") |"
            )
        }
        if sorted.count > limits.areas { line(); line(more(sorted.count - limits.areas, "areas")) }
        line()
        line(
            "COVERED: every file ran and failures are only flaky or quarantined · DEGRADED: failures or files without result · BLIND: ≥\(Int(report.appendix.thresholds.blindFraction * 100))% of files not effectively tested."
        )
        line()
    }

    private func rank(_ criticality: AreaCriticality) -> Int {
        switch criticality {
        case .critical: 0
        case .high: 1
        case .normal: 2
        }
    }

    // MARK: 3. Execution log

    private mutating func executionLog() {
        line("## 3. Execution log")
        line()
        line("### 3.1 Shards (problems first, then by start time)")
        line()
        if report.shards.isEmpty {
            line("No shard was handed out.")
        } else {
            line("| Shard | Worker | Attempt | Files | Start | Duration | Exit | Tests P/F/E/S | First signal |")
            line("|---|---|---:|---:|---:|---:|---|---:|---|")
            for shard in report.shards.prefix(limits.shards) {
                line(
                    "| \(Markdown.cell(shard.id)) | \(Markdown.cell(shard.workerId ?? "—")) | \(shard.attempt) | \(shard.items.count) | \(Markdown.offset(shard.startedAt - report.run.startedAt)) | \(DurationText.format(shard.durationSeconds)) | \(Markdown.cell(shard.exitLabel)) | \(shard.tests.text) | \(Markdown.cellCode(clip(shard.firstSignal ?? ""))) |"
                )
            }
            if report.shards.count > limits.shards {
                var hidden: [String: Int] = [:]
                for shard in report.shards.dropFirst(limits.shards) {
                    hidden[shard.exit.kind.rawValue, default: 0] += 1
                }
                let kinds = ShardExitKind.allCases.compactMap { kind in
                    hidden[kind.rawValue].map { "\($0) \(kind.rawValue)" }
                }
                line()
                line(more(report.shards.count - limits.shards, "shard attempts (\(kinds.joined(separator: ", ")))"))
            }
        }
        line()

        let stopped = report.shards.filter { [.timeout, .crash, .noResults, .lost].contains($0.exit.kind) }
        if !stopped.isEmpty {
            line("#### Last output of shards that were stopped (timeouts, crashes, lost, no results)")
            line()
            for shard in stopped.prefix(limits.timeoutBlocks) {
                line(
                    "- \(Markdown.text(shard.id)) attempt \(shard.attempt) on \(Markdown.text(shard.workerId ?? "—")) — \(Markdown.text(shard.exitLabel)) — files: \(shard.items.prefix(limits.filesPerCluster).map(Markdown.code).joined(separator: ", "))\(shard.items.count > limits.filesPerCluster ? " (+\(shard.items.count - limits.filesPerCluster))" : "")"
                )
                let lines = shard.logTail.suffix(limits.logLines)
                if lines.isEmpty {
                    line("  (no output recorded\(shard.exit.reason.map { "; reason: \(Markdown.text($0))" } ?? ""))")
                } else {
                    line(Markdown.fence(lines.map(clip).joined(separator: "\n"), indent: "  "))
                }
            }
            if stopped.count > limits.timeoutBlocks {
                line(more(stopped.count - limits.timeoutBlocks, "stopped shards"))
            }
            line()
        }

        if report.run.kind == .rerun {
            line(
                "### 3.2 Reruns: outcome per test that failed in \(Markdown.text(report.run.parentRunId ?? report.run.comparedWith ?? "the parent run"))"
            )
            line()
            if report.reruns.isEmpty {
                line("The parent run's failures are not in the history this report was given.")
            } else {
                var counts: [RerunOutcome.Outcome: Int] = [:]
                for outcome in report.reruns { counts[outcome.outcome, default: 0] += 1 }
                line(
                    [RerunOutcome.Outcome.fixedByRerun, .flakyInRerun, .stillFailing, .notRun].compactMap { outcome in
                        counts[outcome].map { "\(outcome.label): \($0)" }
                    }.joined(separator: " · ")
                )
                line()
                for outcome in report.reruns.prefix(limits.reruns) {
                    line("- \(Markdown.code(outcome.test)) — \(outcome.outcome.label)")
                }
                if report.reruns.count > limits.reruns { line(more(report.reruns.count - limits.reruns, "tests")) }
            }
            line()
        }

        line("### 3.3 Workers")
        line()
        if report.workers.isEmpty {
            line("No worker joined the run.")
        } else {
            line(
                "| Worker | Host | Slots | Shard attempts | Problems | Test failures | Busy | Utilization | State | Concentrated clusters |"
            )
            line("|---|---|---:|---:|---:|---:|---:|---:|---|---|")
            for worker in report.workers.prefix(limits.workers) {
                let state = worker.lost ? "**LOST**\(worker.lostReason.map { " (\(Markdown.cell($0)))" } ?? "")" : "ok"
                line(
                    "| \(Markdown.cell(worker.id)) | \(Markdown.cell(worker.host)) | \(worker.slots) | \(worker.shardAttempts) | \(worker.problemAttempts) | \(worker.testFailures) | \(DurationText.format(worker.busySeconds)) | \(Int((worker.utilization * 100).rounded()))% | \(state) | \(worker.concentratedClusters.map { Markdown.code(Markdown.shortId($0)) }.joined(separator: ", ")) |"
                )
            }
            if report.workers.count > limits.workers {
                line(); line(more(report.workers.count - limits.workers, "workers"))
            }
        }
        line()
    }

    // MARK: 4. Discovered issues

    private mutating func issues() {
        line("## 4. Discovered issues (one block per cluster, by priority)")
        line()
        if report.clusters.isEmpty {
            line("No failures.")
            line()
            return
        }
        for cluster in report.clusters.prefix(limits.clusters) {
            line(
                "### [\(cluster.severity.rawValue)] \(Markdown.code(Markdown.shortId(cluster.id)))  \(Markdown.code(clip(cluster.normalized)))"
            )
            line()
            var category = "- **Category:** \(cluster.category.label) (\(Markdown.code(cluster.categorySource)))"
            category += " · **Status:** \(statusText(cluster.status, age: cluster.ageRuns, since: cluster.sinceRun))"
            if cluster.status != .new { category += " · first seen \(Markdown.text(cluster.firstSeenRun))" }
            category += " · **Priority:** \(Markdown.decimal(cluster.priority, places: 1))"
            line(category)
            var scope =
                "- **Scope:** \(cluster.files.count) file(s) · \(cluster.tests.count) test(s) · \(cluster.failures) failure(s) · \(cluster.shards.count) shard attempt(s)"
            if !cluster.workers.isEmpty {
                scope +=
                    " · workers "
                    + cluster.workers.prefix(5).map {
                        "\(Markdown.text($0.worker)) (\(Int(($0.fraction * 100).rounded()))%)"
                    }
                    .joined(separator: ", ")
            }
            if !cluster.areas.isEmpty {
                scope += " · areas \(cluster.areas.map(Markdown.text).joined(separator: ", "))"
            }
            line(scope)
            if let worker = cluster.suspectWorker {
                line(
                    "- **Worker concentration:** most failures ran on \(Markdown.text(worker)): likely a problem of that worker"
                )
            }
            if !cluster.files.isEmpty {
                let shown = cluster.files.prefix(limits.filesPerCluster).map(Markdown.code).joined(separator: ", ")
                let hidden = cluster.files.count - min(cluster.files.count, limits.filesPerCluster)
                line(
                    "- **Files:** \(shown)\(hidden > 0 ? " (+\(hidden) more, listed in report.html / report.json)" : "")"
                )
            }
            if !cluster.filesWithoutResult.isEmpty {
                line("- **Coverage lost:** \(cluster.filesWithoutResult.count) file(s) ended without a result")
            }
            line(
                "- **Error (raw example, from \(Markdown.code(cluster.exampleFrom))):** \(Markdown.code(clip(cluster.exampleRaw)))"
            )
            line("- **Normalized signature:** \(Markdown.code(clip(cluster.normalized)))")
            if !cluster.lastLogLines.isEmpty {
                line("- **Last output before it stopped:**")
                line(
                    Markdown.fence(
                        cluster.lastLogLines.suffix(limits.logLines).map(clip).joined(separator: "\n"),
                        indent: "  "
                    )
                )
            }
            if cluster.flakyOnly { line("- **Flakiness:** every failure here passed on retry") }
            line("- **Next action:** \(Markdown.prose(clip(cluster.nextAction)))")
            if let repro = cluster.repro {
                line(
                    "- **Repro** (\(repro.shard.map { "from shard \(Markdown.text($0))" } ?? "no recorded command")\(repro.worker.map { " on \(Markdown.text($0))" } ?? "")): \(Markdown.code(clip(repro.command)))\(repro.note.map { " — \(Markdown.text($0))" } ?? "")"
                )
            }
            if let notes = cluster.notes { line("- **Gardener notes:** \(Markdown.text(clip(notes)))") }
            line()
        }
        if report.clusters.count > limits.clusters {
            line(more(report.clusters.count - limits.clusters, "clusters"))
            line()
        }
    }

    // MARK: 5–6. Flaky and fixed

    private mutating func flaky() {
        line("## 5. Flaky tests")
        line()
        guard !report.flaky.isEmpty else {
            line("None this run.")
            line()
            return
        }
        line("| Test | θ (90% CI) | Label | Retry-pass this run | Flip rate | History (old → new) | State | Owner |")
        line("|---|---|---|---|---:|---|---|---|")
        for test in report.flaky.prefix(limits.flaky) {
            let score = test.score
            line(
                "| \(Markdown.code(test.id)) | \(Markdown.number(score.theta)) (\(Markdown.number(score.ci90Low))–\(Markdown.number(score.ci90High))) | \(score.label.rawValue) | \(test.retryPassThisRun ? "yes" : "no") | \(score.flipRate.map(Markdown.number) ?? "—") | \(Markdown.code(test.verdicts)) | \(test.quarantined ? "quarantined" : "active") | \(Markdown.cell(test.owner ?? "—")) |"
            )
        }
        if report.flaky.count > limits.flaky { line(); line(more(report.flaky.count - limits.flaky, "flaky tests")) }
        line()
        line(
            "History: P pass · F fail · K failed and passed in one run · X excluded (not run, skipped, infrastructure)."
        )
        line()
    }

    private mutating func fixed() {
        line("## 6. Fixed since previous run")
        line()
        let fixed = report.fixed
        guard !fixed.tests.isEmpty || !fixed.clusters.isEmpty else {
            line(
                report.run.comparedWith == nil ? "No previous comparable run." : "Nothing fixed since the previous run."
            )
            line()
            return
        }
        for test in fixed.tests.prefix(limits.fixed) {
            line("- \(Markdown.code(test.id)) — \(test.status.label)")
        }
        if fixed.tests.count > limits.fixed { line(more(fixed.tests.count - limits.fixed, "fixed tests")) }
        for cluster in fixed.clusters.prefix(limits.fixed) {
            let state =
                cluster.confirmed
                ? "FIXED" : "gone, but \(cluster.filesNotRun.count) of its files did not run: unconfirmed"
            line(
                "- cluster \(Markdown.code(Markdown.shortId(cluster.id))) \(Markdown.text(clip(cluster.title))) — \(state)"
            )
        }
        if fixed.clusters.count > limits.fixed { line(more(fixed.clusters.count - limits.fixed, "fixed clusters")) }
        line()
    }

    // MARK: 7. Coverage

    private mutating func coverage() {
        let coverage = report.coverage
        line("## 7. Coverage gap analysis")
        line()
        line("- **Expected files:** \(coverage.expectedFiles) · with a result: \(coverage.filesWithResult)")
        if coverage.notRun.isEmpty {
            line("- **Not run:** none — every expected file has a result")
        } else {
            line(
                "- **Not run:** \(coverage.notRun.count) file(s) — by reason ("
                    + coverage.byReason.map { "\($0.reason.label) \($0.files)" }.joined(separator: ", ") + ")"
            )
            if coverage.notRunEstimateSeconds > 0 {
                line(
                    "- **Work not done:** about \(DurationText.format(coverage.notRunEstimateSeconds)) of worker time, \(DurationText.format(coverage.notRunEstimateWallSeconds)) of wall time on this run's slots"
                )
            }
        }
        if !coverage.notEffectivelyTested.isEmpty {
            line(
                "- **Effectively untested:** \(coverage.notEffectivelyTested.count) file(s) failed only with infrastructure or environment causes"
            )
        }
        if !coverage.hiddenByQuarantine.isEmpty {
            line(
                "- **Hidden by quarantine:** \(coverage.hiddenByQuarantine.count) (\(coverage.hiddenByQuarantine.prefix(5).map(Markdown.code).joined(separator: ", "))\(coverage.hiddenByQuarantine.count > 5 ? ", …" : ""))"
            )
        }
        if coverage.skippedFiles > 0 { line("- **Skipped:** \(coverage.skippedFiles) file(s) (every test skipped)") }
        if !report.quarantine.expired.isEmpty {
            line(
                "- **Expired quarantine entries** (no longer applied): "
                    + report.quarantine.expired.prefix(10).map {
                        "\(Markdown.code($0.id)) (expired \($0.expires ?? "?"))"
                    }
                    .joined(separator: ", ")
            )
        }
        if !coverage.inventoryAdded.isEmpty || !coverage.inventoryRemoved.isEmpty {
            line(
                "- **Inventory drift** vs previous run: +\(coverage.inventoryAdded.count) added (\(coverage.inventoryAdded.prefix(5).map(Markdown.code).joined(separator: ", "))), −\(coverage.inventoryRemoved.count) removed (\(coverage.inventoryRemoved.prefix(5).map(Markdown.code).joined(separator: ", ")))"
            )
        }
        line()
        if !coverage.notRun.isEmpty {
            line("| File | Reason | Shard | Detail |")
            line("|---|---|---|---|")
            for file in coverage.notRun.prefix(limits.notRun) {
                line(
                    "| \(Markdown.code(file.file))\(file.quarantined ? " (quarantined)" : "") | \(file.reason.label) | \(Markdown.cell(file.shard ?? "—")) | \(Markdown.cellCode(clip(file.detail ?? ""))) |"
                )
            }
            if coverage.notRun.count > limits.notRun {
                line(); line(more(coverage.notRun.count - limits.notRun, "files without result"))
            }
            line()
        }
        if !coverage.partial.isEmpty {
            line("Partially run (failed, and part of the file has no result):")
            line()
            for file in coverage.partial.prefix(limits.partial) {
                line(
                    "- \(Markdown.code(file.file)) — \(file.reason.label)\(file.detail.map { ": \(Markdown.text(clip($0)))" } ?? "")"
                )
            }
            if coverage.partial.count > limits.partial { line(more(coverage.partial.count - limits.partial, "files")) }
            line()
        }
    }

    // MARK: 8. Next actions and appendix

    private mutating func nextActions() {
        line("## 8. Next actions (ranked)")
        line()
        guard !report.nextActions.isEmpty else {
            line("Nothing to do.")
            line()
            return
        }
        for action in report.nextActions.prefix(limits.nextActions) {
            line("\(action.rank). [\(action.severity.rawValue)] \(Markdown.prose(clip(action.title)))")
            if let command = action.command { line("   \(Markdown.code(clip(command)))") }
        }
        if report.nextActions.count > limits.nextActions {
            line()
            line(more(report.nextActions.count - limits.nextActions, "actions"))
        }
        line()
    }

    private mutating func appendix() {
        let appendix = report.appendix
        line("## Appendix")
        line()
        line(
            "- **Normalizer:** \(appendix.normalizer) · masks: \(appendix.masks.isEmpty ? "none" : appendix.masks.map(Markdown.code).joined(separator: ", ")) · rules hash: \(report.run.rulesHash)"
        )
        line("- **Triage rules** (first match wins; config first, then built-in):")
        for rule in appendix.rules {
            line(
                "  - \(Markdown.code((rule.source == "config" ? "rule:" : "builtin:") + rule.id)) → \(rule.category.label): \(Markdown.code(rule.matches))\(rule.clusters > 0 ? " — \(rule.clusters) cluster(s)" : "")"
            )
        }
        let t = appendix.thresholds
        line(
            "- **Thresholds:** window \(t.window) runs · half-life \(Markdown.number(t.halfLifeRuns)) · prior Beta(\(Markdown.number(t.priorA)), \(Markdown.number(t.priorB))) · flaky: evidence ≥ \(t.flakeEvidence) and θ ≥ \(Markdown.number(t.flakeRate)) · failing: last \(t.consecutiveFailures) F or ≥ \(t.failuresOfLastTen)/10 · worker concentration ≥ \(Int(t.workerConcentration * 100))% · BLIND ≥ \(Int(t.blindFraction * 100))%"
        )
        if !appendix.warnings.isEmpty {
            line("- **Configuration problems** (skipped):")
            for warning in appendix.warnings.prefix(20) { line("  - \(Markdown.text(clip(warning)))") }
        }
        line("- Full details: report.json (source of truth, schema \(report.schema)) and report.html (timeline).")
    }
}

/// Markdown escaping.
enum Markdown {
    /// Inline code that survives backticks in the text.
    static func code(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        guard flat.contains("`") else { return "`\(flat)`" }
        var fence = "``"
        while flat.contains(fence) { fence += "`" }
        return "\(fence) \(flat) \(fence)"
    }

    /// Plain text on one line, with the characters Markdown would act on escaped (`_` only where
    /// it could start or end emphasis, so `snake_case` stays readable in the raw file).
    static func text(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            switch character {
            case "\n", "\r": out.append(" ")
            case "\\", "`", "*", "[", "]", "<", "|":
                out.append("\\")
                out.append(character)
            case "_":
                let before = index > 0 ? characters[index - 1] : " "
                let after = index + 1 < characters.count ? characters[index + 1] : " "
                if !(before.isLetter || before.isNumber) || !(after.isLetter || after.isNumber) { out.append("\\") }
                out.append(character)
            default: out.append(character)
            }
        }
        return out
    }

    /// Prose written by people (rule actions): like `text`, but balanced backticks stay code.
    static func prose(_ text: String) -> String {
        guard text.contains("`"), text.filter({ $0 == "`" }).count % 2 == 0 else { return self.text(text) }
        var out = ""
        for (index, part) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
            out += index % 2 == 1 ? "`" + part.replacingOccurrences(of: "\n", with: " ") + "`" : self.text(String(part))
        }
        return out
    }

    /// A table cell.
    static func cell(_ text: String) -> String { self.text(text) }

    /// Inline code inside a table cell (`|` must be escaped even there).
    static func cellCode(_ text: String) -> String {
        text.isEmpty ? "" : code(text).replacingOccurrences(of: "|", with: "\\|")
    }

    /// Seconds from the run's start: `+0s`, `+12.5s`, `+3m05s`.
    static func offset(_ seconds: Double) -> String {
        seconds < 0.5 ? "+0s" : "+" + DurationText.format(seconds)
    }

    /// A fenced block, fence longer than any backtick run inside.
    static func fence(_ text: String, indent: String = "") -> String {
        var fence = "```"
        while text.contains(fence) { fence += "`" }
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }.joined(
            separator: "\n"
        )
        return "\(indent)\(fence)text\n\(body)\n\(indent)\(fence)"
    }

    static func shortId(_ id: String) -> String { String(id.prefix(11)) + "…" }

    /// A number with exactly `places` decimals (`168.8`).
    static func decimal(_ value: Double, places: Int) -> String { String(format: "%.\(places)f", value) }

    /// A number without trailing zeros (`0.031`, `12`).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
