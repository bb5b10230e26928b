import ArgumentParser

/// `testshard-bench`: the benchmarks behind docs/BENCHMARKS.md. Build it in release:
/// `swift build -c release --product testshard-bench`.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testshard-bench",
        abstract: "TestShard's benchmarks (docs/BENCHMARKS.md). Build in release.",
        subcommands: [
            PlanHistoryCommand.self, ReportBenchCommand.self, FuzzCommand.self, GrowthCommand.self, LoadCommand.self,
        ]
    )
}
