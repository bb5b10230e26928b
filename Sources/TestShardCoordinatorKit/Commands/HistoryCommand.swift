import Foundation
import TestShardConfig
import TestShardModel
import TestShardReport
import TestShardStore

/// `history`: the suite's recent runs with their verdicts, or one item's recorded durations.
public enum HistoryCommand {
    public static func render(configFile: String, database: String?, limit: Int, item: String?) throws -> String {
        let configuration = try SuiteConfiguration.load(file: configFile)
        let store = try HistoryStore(
            path: database.map(CoordinatorRun.absolute) ?? configuration.root + "/.testshard/history.sqlite",
            configuration: .init(windowSize: 20)
        )
        if let item {
            let window = try store.durationWindows(items: [item])[item] ?? []
            let samples = try store.samples(item: item)
            var lines = [
                "\(item): \(samples.count) samples; window (newest first): "
                    + (window.isEmpty ? "empty" : window.map { String(format: "%.3fs", $0) }.joined(separator: " "))
            ]
            for sample in samples.suffix(20) {
                lines.append(
                    "  \(sample.runID)  \(String(format: "%9.3f", sample.duration))s  \(sample.outcome.rawValue)"
                )
            }
            return lines.joined(separator: "\n")
        }
        let runs = try store.runs(limit: limit, suite: configuration.name)
        if runs.isEmpty { return "no runs of \(configuration.name) in the history yet" }
        var lines = [
            "RUN                    KIND     STATUS      EXIT  FILES  PASSED  FAILED  FLAKY  NOT-RUN  WALL"
        ]
        for run in runs {
            let report = (try? store.report(runID: run.id)).flatMap { $0 }.flatMap { try? ReportJSON.decodeDigest($0) }
            let counts = report?.fileCounts
            func column(_ value: Int?, _ width: Int) -> String {
                let text = value.map(String.init) ?? "-"
                return String(repeating: " ", count: max(0, width - text.count)) + text
            }
            let wall = run.endedAt.map { DurationText.format($0 - run.startedAt) } ?? "-"
            lines.append(
                run.id.padding(toLength: 22, withPad: " ", startingAt: 0) + " "
                    + run.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + " "
                    + run.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + column(run.exitStatus, 5) + column(counts?.files ?? run.expectedItems, 7)
                    + column(counts?.passed, 8) + column(counts?.failed, 8) + column(counts?.flaky, 7)
                    + column(counts?.notRun, 9) + "  " + wall
            )
        }
        return lines.joined(separator: "\n")
    }
}
