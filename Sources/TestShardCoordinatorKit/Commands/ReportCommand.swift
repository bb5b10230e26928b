import Foundation
import TestShardConfig
import TestShardReport
import TestShardStore

/// `report RUN_ID`: renders a stored run's report again, from the `report.json` bytes kept in
/// history, so the files are identical to the ones the run wrote.
public enum ReportCommand {
    public static func execute(
        runID: String,
        configFile: String,
        database: String?,
        directory: String?
    ) throws -> String {
        let configuration = try SuiteConfiguration.load(file: configFile)
        let store = try HistoryStore(
            path: database.map(CoordinatorRun.absolute) ?? configuration.root + "/.testshard/history.sqlite",
            configuration: .init(windowSize: 20)
        )
        guard let json = try store.report(runID: runID) else {
            let known = try store.runs(limit: 5).map(\.id)
            throw CoordinatorRun.SetupError(
                "no stored report for run \(runID); recent runs: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
            )
        }
        let report = try ReportJSON.decode(json)
        let target = directory.map(CoordinatorRun.absolute) ?? configuration.root + "/.testshard/runs/\(runID)"
        let snapshot = try ReportInputs.snapshot(
            runID: runID,
            store: store,
            configuration: configuration,
            ending: .init(
                endedAt: report.run.endedAt,
                reason: report.run.endReason,
                deadlineSeconds: report.run.deadlineSeconds
            )
        )
        let paths = try RunOutputs.render(report, json: json, into: target, junit: RunOutputs.junit(snapshot))
        return "rendered run \(runID): " + paths.joined(separator: ", ")
    }
}
