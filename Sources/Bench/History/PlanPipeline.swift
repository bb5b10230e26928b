import Foundation
import TestShardCoordinatorKit
import TestShardModel
import TestShardPlanner
import TestShardStore

/// What `testshard-coordinator plan` (and a run that may cut files) does with history, timed step
/// by step: open the store, then `HistoryPlanning.plan` itself (the coordinator's code, not a
/// copy), whose steps are file windows, file estimates, the whole-file plan, and — only when whole files cannot be
/// balanced — the test windows of the largest files, their estimates and the full plan.
struct PlanPipeline {
    /// Seconds per step of one planning; a step that did not run counts 0.
    struct Timing {
        var open = 0.0
        var steps: [HistoryPlanning.Step: Double] = [:]
        var total = 0.0
        var cpu = 0.0

        subscript(step: HistoryPlanning.Step) -> Double { steps[step] ?? 0 }
    }

    var databasePath: String
    var files: [String]
    var planner: Planner

    /// Plans once; returns the plan and the time of each step.
    func run() throws -> (plan: Plan, timing: Timing) {
        var timing = Timing()
        let cpuStart = Stopwatch.processCPU()
        let start = Stopwatch.now()
        var mark = start
        let store = try HistoryStore(path: databasePath, configuration: .init(windowSize: 20))
        timing.open = Stopwatch.now() - mark
        mark = Stopwatch.now()
        let (_, plan) = try HistoryPlanning.plan(files, store: store, planner: planner) { step in
            let now = Stopwatch.now()
            timing.steps[step] = now - mark
            mark = now
        }
        timing.total = Stopwatch.now() - start
        timing.cpu = Stopwatch.processCPU() - cpuStart
        return (plan, timing)
    }

    /// One line on a plan: shards, items, makespan over its bound, files cut.
    static func describe(_ plan: Plan) -> String {
        let items = plan.shards.reduce(0) { $0 + $1.items.count }
        let ratio = plan.lowerBoundSeconds > 0 ? plan.estimatedMakespanSeconds / plan.lowerBoundSeconds : 1
        return "\(plan.shards.count) shards, \(items) items, makespan/bound \(String(format: "%.4f", ratio)), "
            + "\(plan.splitFiles.count) files cut, \(plan.unknownFiles.count) files without history"
    }
}
