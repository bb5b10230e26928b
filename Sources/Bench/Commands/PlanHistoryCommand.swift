import ArgumentParser
import Foundation
import TestShardCoordinatorKit
import TestShardPlanner

/// `testshard-bench plan-history`: planning from SQLite history (issue 2: < 50 ms median for
/// 5000 files in a release build).
struct PlanHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan-history",
        abstract: "Plan N files from SQLite history: store windows → Estimator → Planner (median of repetitions)."
    )

    @Option(help: "Files in the suite.") var files = 5000
    @Option(help: "Shards to plan.") var shards = 8
    @Option(help: "Repetitions (the median is reported).") var repetitions = 31
    @Option(help: "Samples per item in the history (the store keeps a window of 20).") var samples = 20
    @Option(help: "Folder of real duration files to draw sizes from (default: shared/bench/durations).")
    var durations: String?
    @Flag(help: "Also time `plan` end to end (config, inventory walk, JSON) on a generated suite.")
    var endToEnd = false
    @Option(help: "Folder for the scratch files (default: the temporary folder).") var workDir: String?
    @Flag(help: "Keep the scratch files.") var keep = false
    @Option(
        help: """
            History database to use (seeded there, with the file list beside it as PATH.files, when it \
            does not exist yet; reused as it is when it does).
            """
    )
    var database: String?

    func run() throws {
        print(Machine.describe())
        let scratch = try Scratch(named: "plan", under: workDir, keep: keep)
        defer { scratch.remove() }
        let database = self.database ?? scratch.path + "/history.sqlite"
        let suiteFiles: [String]
        if self.database != nil, let listed = try? String(contentsOfFile: database + ".files", encoding: .utf8),
            FileManager.default.fileExists(atPath: database)
        {
            suiteFiles = listed.split(separator: "\n").map(String.init)
            print("history: reused \(database) (\(suiteFiles.count) files)")
        } else {
            let pool = try RealDurations.load(folder: try RealDurations.folder(durations))
            let fixture = try HistoryFixture.seed(
                path: database,
                files: files,
                durations: pool,
                samplesPerItem: samples
            )
            suiteFiles = fixture.files
            try suiteFiles.joined(separator: "\n").write(toFile: database + ".files", atomically: true, encoding: .utf8)
            print("history: \(fixture.summary)")
        }
        for (label, tolerance) in [("as a run plans", 0.01), ("per-test path forced (tolerance 0)", 0.0)] {
            let planner = try Planner(configuration: PlannerConfiguration(shardCount: shards, tolerance: tolerance))
            let figures = try Self.measure(
                database: database,
                files: suiteFiles,
                planner: planner,
                label: label,
                repetitions: repetitions
            )
            print(figures.lines.joined(separator: "\n"))
        }

        if endToEnd {
            let root = scratch.path + "/suite"
            try Scratch.writeSuite(at: root, files: suiteFiles, command: "python3 -m pytest {files}")
            var times: [Double] = []
            var output = ""
            for _ in 0..<repetitions {
                let run = try Stopwatch.measure {
                    try PlanCommand.render(
                        source: .history(configFile: root + "/testshard.toml", database: database),
                        shards: shards,
                        json: true
                    )
                }
                times.append(run.wall)
                output = run.value
            }
            print(
                "end to end (PlanCommand.render: config + inventory of \(files) files on disk + history + plan + JSON, "
                    + "\(output.utf8.count) bytes): median \(Stopwatch.ms(Stopwatch.median(times))), "
                    + "p90 \(Stopwatch.ms(Stopwatch.percentile(times, 90)))"
            )
        }
        print("load after: \(Machine.loadAverage())")
    }

    struct Figures {
        var lines: [String]
        var medianTotal: Double
        var medianCPU: Double
    }

    /// Plans `repetitions` times (after one warm-up) and summarises each step.
    static func measure(
        database: String,
        files: [String],
        planner: Planner,
        label: String,
        repetitions: Int
    ) throws -> Figures {
        let shards = planner.configuration.shardCount
        let pipeline = PlanPipeline(databasePath: database, files: files, planner: planner)
        let warmUp = try pipeline.run()
        var timings: [PlanPipeline.Timing] = []
        for _ in 0..<max(1, repetitions) { timings.append(try pipeline.run().timing) }
        func row(_ name: String, _ value: (PlanPipeline.Timing) -> Double) -> String {
            let values = timings.map(value)
            return
                "  \(name.padding(toLength: 34, withPad: " ", startingAt: 0)) median \(Stopwatch.ms(Stopwatch.median(values)))"
                + "  p90 \(Stopwatch.ms(Stopwatch.percentile(values, 90)))  max \(Stopwatch.ms(values.max() ?? 0))"
        }
        let cpus = timings.map(\.cpu)
        return Figures(
            lines: [
                "plan \(files.count) files into \(shards) shards from history, \(label), \(timings.count) repetitions "
                    + "(plan: \(PlanPipeline.describe(warmUp.plan)))",
                row("open store") { $0.open },
                row("file windows (SQLite)") { $0[.fileWindows] },
                row("estimate files") { $0[.estimateFiles] },
                row("whole-file plan") { $0[.wholeFilePlan] },
                row("test windows of \(shards * 2) largest (SQLite)") { $0[.testWindows] },
                row("test estimates") { $0[.testEstimates] },
                row("plan (LPT + refine + cuts)") { $0[.plan] },
                row("TOTAL") { $0.total },
                "  TOTAL CPU median \(Stopwatch.ms(Stopwatch.median(cpus)))",
            ],
            medianTotal: Stopwatch.median(timings.map(\.total)),
            medianCPU: Stopwatch.median(cpus)
        )
    }
}
