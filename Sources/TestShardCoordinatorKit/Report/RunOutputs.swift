import Foundation
import Logging
import TestShardConfig
import TestShardJUnit
import TestShardModel
import TestShardReport
import TestShardScheduler
import TestShardStore

/// The files a run leaves behind, and what it prints at the end.
///
///     <report-dir>/report.json   the source of truth (schema testshard-report/1)
///     <report-dir>/report.md     the gardener worklog (< 60 KB)
///     <report-dir>/report.html   one self-contained page with the shard timeline
///     <report-dir>/junit.xml     merged JUnit: one <testcase> per test, retries kept
public enum RunOutputs {
    struct Written {
        var report: GardenerReport
        var paths: [String]
    }

    /// Builds the report from the store, writes every file, stores `report.json` and the cluster
    /// signatures back into history (so the next run can say NEW / ONGOING / FIXED).
    static func write(
        runID: String,
        store: HistoryStore,
        configuration: SuiteConfiguration,
        reportDirectory: String,
        ending: ReportInputs.Ending,
        logger: Logger
    ) async throws -> Written {
        let snapshot = try ReportInputs.snapshot(
            runID: runID,
            store: store,
            configuration: configuration,
            ending: ending
        )
        // The merged JUnit needs only the snapshot, so it is built beside the report and its JSON
        // (each about a quarter of a second for 5000 files) instead of after them: the run's end
        // waits for the slower of the two.
        async let junitText = Self.junit(snapshot)
        let report = ReportBuilder.build(snapshot)
        let json = try ReportJSON.encode(report)
        try store.saveReport(runID: runID, json: json)
        try recordSignatures(report, runID: runID, store: store, at: ending.endedAt)
        let paths = try render(report, json: json, into: reportDirectory, junit: await junitText)
        appendStepSummary(
            reportDirectory + "/report.md",
            environment: ProcessInfo.processInfo.environment,
            logger: logger
        )
        return Written(report: report, paths: paths)
    }

    /// Writes the three renderings and the merged JUnit into `directory`.
    static func render(_ report: GardenerReport, json: Data, into directory: String, junit: String?) throws -> [String]
    {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        func put(_ name: String, _ data: Data) throws {
            let path = directory + "/" + name
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            written.append(path)
        }
        try put("report.json", json)
        try put("report.md", Data(MarkdownReportRenderer.render(report).utf8))
        try put("report.html", Data(HTMLReportRenderer.render(report).utf8))
        if let junit { try put("junit.xml", Data(junit.utf8)) }
        return written
    }

    /// The merged JUnit: every attempt of every test (retries as flaky/rerun elements), and a
    /// file-level error for every file without a result.
    public static func junit(_ snapshot: RunSnapshot) -> String {
        struct ShardAttempt: Hashable {
            var shard: String
            var attempt: Int
        }
        let accepted = Set(
            snapshot.shardAttempts.filter(\.accepted).map { ShardAttempt(shard: $0.shardId, attempt: $0.attempt) }
        )
        let attempts = snapshot.testAttempts
            .filter { accepted.contains(ShardAttempt(shard: $0.shardId, attempt: $0.shardAttempt)) }
            .sorted { ($0.result.id, $0.retryIndex, $0.shardId) < ($1.result.id, $1.retryIndex, $1.shardId) }
            .map(\.result)
        var notRun: [String: (reason: String, detail: String)] = [:]
        for state in snapshot.itemStates {
            guard let reason = state.notRunReason else { continue }
            let file = state.item.file
            if notRun[file] == nil { notRun[file] = (reason.label.lowercased(), state.detail ?? "") }
        }
        let withResults = Set(attempts.map(\.file))
        let missing = notRun.filter { !withResults.contains($0.key) }.sorted { $0.key < $1.key }
            .map { JUnitNotRun(file: $0.key, reason: $0.value.reason, details: $0.value.detail) }
        return JUnitWriter(name: snapshot.run.suite).write(attempts, notRun: missing)
    }

    /// Stores each failing test attempt's cluster id and the clusters seen, for the next run.
    static func recordSignatures(_ report: GardenerReport, runID: String, store: HistoryStore, at time: Double) throws {
        var signatureOf: [String: String] = [:]
        for test in report.tests {
            for attempt in test.attempts {
                guard let signature = attempt.signature else { continue }
                signatureOf["\(test.id)|\(attempt.shard)|\(attempt.shardAttempt)|\(attempt.retry)"] = signature
            }
        }
        if !signatureOf.isEmpty {
            var rows: [Int64: String] = [:]
            for attempt in try store.testAttempts(runID: runID) {
                guard let row = attempt.rowID else { continue }
                let key =
                    "\(attempt.testID)|\(ReportInputs.shardName(attempt.shardID ?? 0))|\(attempt.shardAttempt ?? 1)|\(attempt.retryIndex)"
                if let signature = signatureOf[key] { rows[row] = signature }
            }
            try store.setSignatures(rows)
        }
        let sightings = report.clusters.map {
            SignatureSighting(signature: $0.id, title: $0.normalized, files: $0.files)
        }
        if !sightings.isEmpty { try store.recordSignaturesSeen(runID: runID, at: time, sightings) }
    }

    /// Appends the Markdown report to the GitHub Actions step summary when running there
    /// (`GITHUB_STEP_SUMMARY` names the file; GitHub creates it, so a missing one is created too).
    /// Earlier steps' summaries in the file are kept. A file that cannot be written is a warning:
    /// the run's own report is already on disk.
    /// - Returns: whether the report was appended.
    @discardableResult
    static func appendStepSummary(_ markdownPath: String, environment: [String: String], logger: Logger) -> Bool {
        guard let summaryPath = environment["GITHUB_STEP_SUMMARY"], !summaryPath.isEmpty,
            let markdown = FileManager.default.contents(atPath: markdownPath)
        else { return false }
        if !FileManager.default.fileExists(atPath: summaryPath) {
            _ = FileManager.default.createFile(atPath: summaryPath, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: summaryPath) else {
            logger.warning(
                "cannot open GITHUB_STEP_SUMMARY for appending; the report is only in \(markdownPath)",
                metadata: ["path": "\(summaryPath)"]
            )
            return false
        }
        defer { try? handle.close() }
        do {
            _ = try handle.seekToEnd()
            try handle.write(contentsOf: markdown + Data("\n".utf8))
            return true
        } catch {
            logger.warning(
                "cannot append to GITHUB_STEP_SUMMARY: \(error); the report is only in \(markdownPath)",
                metadata: ["path": "\(summaryPath)"]
            )
            return false
        }
    }

    /// The lines printed when a run ends.
    static func summaryText(
        report: GardenerReport,
        summary: RunSummary,
        reportDirectory: String
    ) -> String {
        let counts = report.summary.files
        var lines: [String] = []
        lines.append("")
        lines.append(report.verdict.line)
        lines.append(
            "files \(counts.files): \(counts.passed) passed, \(counts.failed) failed, \(counts.flaky) flaky, "
                + "\(counts.skipped) skipped, \(counts.notRun) not run"
                + (counts.quarantinedFailed > 0 ? ", \(counts.quarantinedFailed) quarantined" : "")
        )
        let tests = report.summary.tests
        lines.append(
            "tests \(tests.total): \(tests.passed) passed, \(tests.failed) failed, \(tests.flaky) flaky, "
                + "\(tests.skipped) skipped · \(report.clusters.count) failure cluster(s)"
        )
        lines.append(
            "wall \(DurationText.format(report.run.wallSeconds)) · worker time \(DurationText.format(report.run.workerSeconds))"
                + " · \(summary.shardsAssigned) shards · \(report.workers.count) workers"
                + (summary.requeues > 0 ? " · \(summary.requeues) requeues" : "")
        )
        lines.append("report: \(reportDirectory)/report.md (also report.html, report.json, junit.xml)")
        return lines.joined(separator: "\n")
    }
}
