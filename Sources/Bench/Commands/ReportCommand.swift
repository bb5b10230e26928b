import ArgumentParser
import Foundation
import TestShardReport

/// `testshard-bench report`: build and render the gardener report for a large synthetic run
/// (issue 4: < 2 s for 5000 files / 50,000 test cases in release).
struct ReportBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Build + render the report (JSON, Markdown, HTML, JUnit) for a synthetic run."
    )

    @Option(help: "Expected files.") var files = 5000
    @Option(help: "Tests per file.") var testsPerFile = 10
    @Option(help: "Repetitions (the median is reported).") var repetitions = 5

    func run() throws {
        print(Machine.describe())
        let made = Stopwatch.measure { SyntheticRun.snapshot(files: files, testsPerFile: testsPerFile) }
        let snapshot = made.value
        print(
            "snapshot: \(snapshot.expectedFiles.count) files, \(snapshot.testAttempts.count) test attempts, "
                + "\(snapshot.shardAttempts.count) shard attempts, \(snapshot.workers.count) workers "
                + "(generated in \(Stopwatch.s(made.wall)), not counted)"
        )
        let timings = try Self.measure(snapshot, repetitions: repetitions)
        print(timings.joined(separator: "\n"))
        print("load after: \(Machine.loadAverage())")
    }

    /// Runs the pipeline `repetitions` times and prints the median of each step.
    static func measure(_ snapshot: RunSnapshot, repetitions: Int) throws -> [String] {
        var runs: [ReportPipeline.Timing] = []
        for _ in 0..<max(1, repetitions) { runs.append(try ReportPipeline.run(snapshot)) }
        func row(_ name: String, _ values: [Double]) -> String {
            "  \(name.padding(toLength: 24, withPad: " ", startingAt: 0)) median \(Stopwatch.ms(Stopwatch.median(values)))"
                + "  max \(Stopwatch.ms(values.max() ?? 0))"
        }
        let bytes = runs[0].bytes
        return [
            "build + render, \(runs.count) repetitions (report.json \(bytes[0] / 1024) KiB, report.md \(bytes[1] / 1024) KiB, "
                + "report.html \(bytes[2] / 1024) KiB, junit.xml \(bytes[3] / 1024) KiB)",
            row("ReportBuilder.build", runs.map(\.build)),
            row("report.json", runs.map(\.json)),
            row("report.md", runs.map(\.markdown)),
            row("report.html", runs.map(\.html)),
            row("junit.xml", runs.map(\.junit)),
            row("TOTAL", runs.map(\.total)),
            row("TOTAL CPU", runs.map(\.cpu)),
        ]
    }
}
