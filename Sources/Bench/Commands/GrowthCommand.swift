import ArgumentParser
import Foundation
import TestShardPlanner
import TestShardReport

/// `testshard-bench growth`: how plan time and report time grow with the suite (issue 8.6).
struct GrowthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "growth",
        abstract: "Plan time (from SQLite history) and report time at several suite sizes."
    )

    @Option(help: "Suite sizes in files, comma-separated.") var sizes = "1000,5000,20000,100000"
    @Option(help: "Shards to plan.") var shards = 8
    @Option(help: "Tests per file in the report's run.") var testsPerFile = 10
    @Option(help: "Samples per item in the history (the store keeps a window of 20).") var samples = 20
    @Option(help: "Folder of real duration files to draw sizes from (default: shared/bench/durations).")
    var durations: String?
    @Option(help: "Plan repetitions per size.") var planRepetitions = 11
    @Option(help: "Report repetitions per size.") var reportRepetitions = 3
    @Option(help: "Folder for the scratch files (default: the temporary folder).") var workDir: String?

    func run() throws {
        print(Machine.describe())
        let counts = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--sizes \(sizes): expected positive numbers separated by commas")
        }
        var rows: [String] = [
            "| files | plan median | plan µs/file | report: test cases | build | json+md+html+junit | report total | "
                + "report µs/test case | peak RSS so far |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        let pool = try RealDurations.load(folder: try RealDurations.folder(durations))
        for count in counts {
            let scratch = try Scratch(named: "growth", under: workDir, keep: false)
            defer { scratch.remove() }
            let database = scratch.path + "/history.sqlite"
            let fixture = try HistoryFixture.seed(
                path: database,
                files: count,
                durations: pool,
                samplesPerItem: samples
            )
            print("\(count) files: history \(fixture.summary)")
            let plan = try PlanHistoryCommand.measure(
                database: database,
                files: fixture.files,
                planner: try Planner(shardCount: shards),
                label: "as a run plans",
                repetitions: planRepetitions
            )
            print(plan.lines.joined(separator: "\n"))
            scratch.remove()

            let snapshot = SyntheticRun.snapshot(files: count, testsPerFile: testsPerFile)
            var reports: [ReportPipeline.Timing] = []
            for _ in 0..<max(1, reportRepetitions) { reports.append(try ReportPipeline.run(snapshot)) }
            let build = Stopwatch.median(reports.map(\.build))
            let total = Stopwatch.median(reports.map(\.total))
            let cases = snapshot.testAttempts.count
            print("  report \(cases) test attempts: build \(Stopwatch.ms(build)), total \(Stopwatch.ms(total))")
            rows.append(
                "| \(count) | \(Stopwatch.ms(plan.medianTotal)) | \(String(format: "%.2f", plan.medianTotal / Double(count) * 1e6)) "
                    + "| \(cases) | \(Stopwatch.ms(build)) | \(Stopwatch.ms(total - build)) | \(Stopwatch.ms(total)) "
                    + "| \(String(format: "%.2f", total / Double(max(cases, 1)) * 1e6)) | \(Self.peakRSSMiB()) MiB |"
            )
        }
        print("")
        print(rows.joined(separator: "\n"))
        print("load after: \(Machine.loadAverage())")
    }

    /// This process's peak resident set (VmHWM), in MiB.
    static func peakRSSMiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }
}
