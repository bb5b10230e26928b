import Foundation
import TestShardConfig
import TestShardModel
import TestShardPlanner
import TestShardStore

/// `plan --shards N [--durations FILE] [--json]`: the time-balanced split as a dry run.
public enum PlanCommand {
    /// Where the durations come from.
    public enum Source: Sendable {
        /// A flat `{name: seconds}` file (pytest-split or knapsack).
        case durationsFile(String)
        /// The suite's inventory with estimates from the history database.
        case history(configFile: String, database: String?)
    }

    /// The plan, as JSON (the DESIGN contract) or as the human table.
    public static func render(source: Source, shards: Int, json: Bool) throws -> String {
        let plan = try makePlan(source: source, shards: shards)
        if json { return String(decoding: try plan.jsonData(prettyPrinted: false), as: UTF8.self) }
        return plan.renderTable()
    }

    static func makePlan(source: Source, shards: Int) throws -> Plan {
        let planner = try Planner(shardCount: shards)
        switch source {
        case .durationsFile(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CoordinatorRun.SetupError("--durations \(path): cannot read the file")
            }
            return try planner.plan(DurationsFile(jsonData: data).planFiles())
        case .history(let configFile, let database):
            let configuration = try SuiteConfiguration.load(file: configFile)
            let files = try Inventory.discover(configuration)
            // The plan a run would make: whole files for runners whose runs do not cut files.
            let planner =
                configuration.runner.cutsLongFiles
                ? planner : Planner(configuration: try PlannerConfiguration(shardCount: shards, maxSplitFiles: 0))
            let store = try HistoryStore(
                path: database.map(CoordinatorRun.absolute) ?? configuration.root + "/.testshard/history.sqlite",
                configuration: .init(windowSize: 20)
            )
            return try HistoryPlanning.plan(files, store: store, planner: planner).plan
        }
    }
}
