import Foundation
import TestShardJUnit
import TestShardReport

/// What the coordinator does with a finished run's snapshot (`RunOutputs.write` minus the store
/// and the disk): build the report, encode report.json, render report.md and report.html, write
/// the merged junit.xml — each step timed.
enum ReportPipeline {
    struct Timing {
        var build = 0.0
        var json = 0.0
        var markdown = 0.0
        var html = 0.0
        var junit = 0.0
        var total: Double { build + json + markdown + html + junit }
        var cpu = 0.0
        var bytes: [Int] = []
    }

    static func run(_ snapshot: RunSnapshot) throws -> Timing {
        var timing = Timing()
        let cpuStart = Stopwatch.processCPU()
        let build = Stopwatch.measure { ReportBuilder.build(snapshot) }
        timing.build = build.wall
        let json = try Stopwatch.measure { try ReportJSON.encode(build.value) }
        timing.json = json.wall
        let markdown = Stopwatch.measure { MarkdownReportRenderer.render(build.value) }
        timing.markdown = markdown.wall
        let html = Stopwatch.measure { HTMLReportRenderer.render(build.value) }
        timing.html = html.wall
        let junit = Stopwatch.measure { mergedJUnit(snapshot) }
        timing.junit = junit.wall
        timing.cpu = Stopwatch.processCPU() - cpuStart
        timing.bytes = [json.value.count, markdown.value.utf8.count, html.value.utf8.count, junit.value.utf8.count]
        return timing
    }

    /// The merged JUnit as the coordinator writes it: the accepted attempts of every test, and the
    /// files that never got a result.
    static func mergedJUnit(_ snapshot: RunSnapshot) -> String {
        let accepted = Set(snapshot.shardAttempts.filter(\.accepted).map { "\($0.shardId)#\($0.attempt)" })
        let attempts = snapshot.testAttempts
            .filter { accepted.contains("\($0.shardId)#\($0.shardAttempt)") }
            .sorted { ($0.result.id, $0.retryIndex, $0.shardId) < ($1.result.id, $1.retryIndex, $1.shardId) }
            .map(\.result)
        var notRun: [String: (reason: String, detail: String)] = [:]
        for state in snapshot.itemStates {
            guard let reason = state.notRunReason else { continue }
            if notRun[state.item.file] == nil {
                notRun[state.item.file] = (reason.label.lowercased(), state.detail ?? "")
            }
        }
        let withResults = Set(attempts.map(\.file))
        let missing = notRun.filter { !withResults.contains($0.key) }.sorted { $0.key < $1.key }
            .map { JUnitNotRun(file: $0.key, reason: $0.value.reason, details: $0.value.detail) }
        return JUnitWriter(name: snapshot.run.suite).write(attempts, notRun: missing)
    }
}
