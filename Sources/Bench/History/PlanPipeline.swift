import Foundation
import TestShardModel
import TestShardPlanner
import TestShardStore

/// What `testshard-coordinator plan` does with history, step by step and timed: open the store,
/// read the file windows, estimate, read test windows for the largest files (the only ones the
/// planner may cut), build the planner input, plan. The same calls as the coordinator's
/// `PlanCommand` (kept in step with it by hand: that function is internal to the kit).
struct PlanPipeline {
    /// Seconds per step of one planning.
    struct Timing {
        var open = 0.0
        var fileWindows = 0.0
        var estimate = 0.0
        var testWindows = 0.0
        var planInput = 0.0
        var plan = 0.0
        var total = 0.0
        var cpu = 0.0
    }

    var databasePath: String
    var files: [String]
    var shards: Int

    /// Plans once; returns the plan and the time of each step.
    func run() throws -> (plan: Plan, timing: Timing) {
        var timing = Timing()
        let cpuStart = Stopwatch.processCPU()
        let start = Stopwatch.now()
        var mark = start
        func lap(_ field: WritableKeyPath<Timing, Double>) {
            let now = Stopwatch.now()
            timing[keyPath: field] = now - mark
            mark = now
        }

        let store = try HistoryStore(path: databasePath, configuration: .init(windowSize: 20))
        lap(\.open)
        let fileWindows = try store.durationWindows(items: files)
        lap(\.fileWindows)
        let estimator = Estimator()
        let fileHistory = fileWindows.mapValues(Self.samples)
        let estimates = estimator.estimateFiles(files, history: fileHistory)
        let candidates = estimates.sorted { ($0.value.seconds, $1.key) > ($1.value.seconds, $0.key) }
            .prefix(max(shards, 1) * 2).map(\.key)
        lap(\.estimate)
        let testWindows = try store.testDurationWindows(files: candidates)
        lap(\.testWindows)
        var testHistory: [String: [String: [DurationSample]]] = [:]
        for (file, tests) in testWindows {
            var byName: [String: [DurationSample]] = [:]
            for (testID, window) in tests {
                guard let name = WorkItem(testID).test else { continue }
                byName[name] = Self.samples(window)
            }
            testHistory[file] = byName
        }
        let input = estimator.planFiles(
            files,
            fileHistory: fileHistory,
            testHistoryByFile: testHistory,
            splitCandidates: candidates.count
        )
        lap(\.planInput)
        let plan = try Planner(shardCount: shards).plan(input)
        lap(\.plan)
        timing.total = Stopwatch.now() - start
        timing.cpu = Stopwatch.processCPU() - cpuStart
        return (plan, timing)
    }

    static func samples(_ window: [Double]) -> [DurationSample] {
        window.enumerated().map {
            DurationSample(seconds: $0.element, outcome: .passed, recordedAt: -Double($0.offset))
        }
    }

    /// One line on a plan: shards, items, makespan over its bound, files cut.
    static func describe(_ plan: Plan) -> String {
        let items = plan.shards.reduce(0) { $0 + $1.items.count }
        let ratio = plan.lowerBoundSeconds > 0 ? plan.estimatedMakespanSeconds / plan.lowerBoundSeconds : 1
        return "\(plan.shards.count) shards, \(items) items, makespan/bound \(String(format: "%.4f", ratio)), "
            + "\(plan.splitFiles.count) files cut, \(plan.unknownFiles.count) files without history"
    }
}
