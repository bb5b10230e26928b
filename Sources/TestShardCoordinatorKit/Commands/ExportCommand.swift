import Foundation
import TestShardConfig
import TestShardModel
import TestShardPlanner
import TestShardStore

/// `export --format pytest-split|knapsack`: writes history as those tools' duration files, so a
/// team can try TestShard and go back without losing data. Each value is the figure TestShard
/// would plan with (the estimator over the item's recent passing samples).
public enum ExportCommand {
    public enum Format: String, CaseIterable, Sendable {
        /// `.test_durations`: `{"path::test": seconds}`.
        case pytestSplit = "pytest-split"
        /// `knapsack_*_report.json`: `{"path": seconds}`.
        case knapsack
    }

    public static func render(format: Format, configFile: String, database: String?) throws -> String {
        let configuration = try SuiteConfiguration.load(file: configFile)
        let store = try HistoryStore(
            path: database.map(CoordinatorRun.absolute) ?? configuration.root + "/.testshard/history.sqlite",
            configuration: .init(windowSize: 20)
        )
        let windows = try store.allDurationWindows(format == .pytestSplit ? .tests : .files)
        let estimator = Estimator()
        var figures: [String: Double] = [:]
        for (item, window) in windows {
            if let figure = estimator.figure(newestFirst: window) { figures[item] = figure }
        }
        if figures.isEmpty {
            throw CoordinatorRun.SetupError(
                "the history has no \(format == .pytestSplit ? "test" : "file") durations to export; run the suite "
                    + "or import durations first"
            )
        }
        let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }
}
