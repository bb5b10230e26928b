import ArgumentParser
import Foundation
import TestShardCoordinatorKit

struct PlanSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Dry run: the time-balanced split into N shards, per-shard estimates and the lower bound."
    )

    @OptionGroup var suite: SuiteOptions

    @Option(help: "How many shards.")
    var shards: Int

    @Option(
        help: ArgumentHelp(
            "A flat JSON {name: seconds} file (pytest-split's .test_durations or knapsack's report) instead of history.",
            valueName: "file"
        )
    )
    var durations: String?

    @Flag(help: "Print the plan as JSON.")
    var json = false

    func validate() throws {
        guard shards >= 1 else { throw ValidationError("--shards \(shards): expected 1 or more") }
    }

    func run() throws {
        let source: PlanCommand.Source =
            durations.map { .durationsFile($0) } ?? .history(configFile: suite.config, database: suite.db)
        do {
            print(try PlanCommand.render(source: source, shards: shards, json: json))
        } catch {
            throw failUsage(error)
        }
    }
}
