import Foundation
import TestShardCoordinatorKit
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
        let junit = Stopwatch.measure { RunOutputs.junit(snapshot) }
        timing.junit = junit.wall
        timing.cpu = Stopwatch.processCPU() - cpuStart
        timing.bytes = [json.value.count, markdown.value.utf8.count, html.value.utf8.count, junit.value.utf8.count]
        return timing
    }
}
