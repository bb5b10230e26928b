import TestShardModel
import TestShardPlanner
import TestShardStore

/// Plans a suite's files from the history store: what `plan` does, and a run on several slots
/// whose runner may cut files (`RunPreparation.splitItems`).
///
/// ```
///   file windows ──> file estimates ──> whole files balance within tolerance? ── yes ──> plan
///                                                  │ no
///                                                  v
///               test windows of the 2 × N largest files ──> test estimates ──> plan (may cut)
/// ```
///
/// The per-test windows are the expensive read — the giant files hold thousands of tests — and
/// they can only matter when some file must be cut, which `Planner.planWithoutCuts` rules out
/// for most suites. The plan is the same either way (see there).
public enum HistoryPlanning {
    /// The steps, for a caller that times them (`testshard-bench plan-history`).
    public enum Step: Sendable, CaseIterable {
        case fileWindows, estimateFiles, wholeFilePlan, testWindows, testEstimates, plan
    }

    /// The planner input and the plan of `files` (unique paths, in inventory order).
    ///
    /// - Parameter step: called after each step that ran, with the step (for timing).
    public static func plan(
        _ files: [String],
        store: HistoryStore,
        planner: Planner,
        estimator: Estimator = Estimator(),
        step: (Step) -> Void = { _ in }
    ) throws -> (files: [PlanFile], plan: Plan) {
        let windows = try store.durationWindows(items: files)
        step(.fileWindows)
        let estimates = estimator.estimateFiles(files, windows: windows)
        var seen = Set<String>(minimumCapacity: files.count)
        let whole = files.filter { seen.insert($0).inserted }.map { PlanFile(path: $0, estimate: estimates[$0]!) }
        step(.estimateFiles)
        if planner.configuration.maxSplitFiles == 0 || whole.isEmpty {
            let plan = try planner.plan(whole)
            step(.plan)
            return (whole, plan)
        }
        if let plan = try planner.planWithoutCuts(whole) {
            step(.wholeFilePlan)
            return (whole, plan)
        }
        step(.wholeFilePlan)
        // The planner cuts the largest splittable files first, at most N of them: the 2 × N
        // largest leave room for large files without test history.
        let candidates = whole.sorted { lhs, rhs in
            lhs.estimate.seconds != rhs.estimate.seconds
                ? lhs.estimate.seconds > rhs.estimate.seconds : lhs.path < rhs.path
        }
        .prefix(max(planner.configuration.shardCount, 1) * 2).map(\.path)
        let testWindows = try store.testDurationWindows(files: candidates)
        step(.testWindows)
        var withTests = whole
        for index in withTests.indices {
            guard let tests = testWindows[withTests[index].path] else { continue }
            var byName: [String: [Double]] = [:]
            byName.reserveCapacity(tests.count)
            for (id, window) in tests {
                if let name = WorkItem(id).test { byName[name] = window }
            }
            withTests[index].tests = estimator.testEstimates(windows: byName)
        }
        step(.testEstimates)
        let plan = try planner.plan(withTests)
        step(.plan)
        return (withTests, plan)
    }
}
