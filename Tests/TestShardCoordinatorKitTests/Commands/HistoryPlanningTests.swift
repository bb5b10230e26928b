import Foundation
import TestShardModel
import TestShardPlanner
import TestShardStore
import Testing

@testable import TestShardCoordinatorKit

/// Planning from a real history store: test windows are read only when a cut could help, and the
/// plan is the one the planner makes with every test in hand.
@Suite struct HistoryPlanningTests {
    /// A store in a scratch folder holding `durations` (item → seconds, one passing sample each).
    private func store(_ durations: [String: Double]) throws -> (store: HistoryStore, folder: String) {
        let folder = try makeScratchFolder("histplan")
        let store = try HistoryStore(path: folder + "/history.sqlite")
        try store.importSamples(
            durations.sorted { $0.key < $1.key }.map {
                MeasuredDuration(item: $0.key, duration: $0.value, outcome: .passed, recordedAt: 1)
            },
            source: .importKnapsack,
            run: StoredRun(id: "imp", kind: .import, status: .completed, startedAt: 1, suite: "s", root: folder)
        )
        return (store, folder)
    }

    private func plan(
        _ files: [String],
        _ store: HistoryStore,
        shards: Int
    ) throws -> (files: [PlanFile], plan: Plan, steps: [HistoryPlanning.Step]) {
        var steps: [HistoryPlanning.Step] = []
        let (planFiles, plan) = try HistoryPlanning.plan(files, store: store, planner: Planner(shardCount: shards)) {
            steps.append($0)
        }
        return (planFiles, plan, steps)
    }

    @Test func balancedWholeFilesNeverReadTheTests() throws {
        // 40 files of 1–4 s and a file with tests that fits a shard: whole files balance.
        var durations: [String: Double] = [:]
        let files = (0..<40).map { "t/test_\($0).py" }
        for (index, file) in files.enumerated() { durations[file] = Double(1 + index % 4) }
        durations["t/test_0.py::a"] = 0.5
        durations["t/test_0.py::b"] = 0.5
        let (store, folder) = try store(durations)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let result = try plan(files, store, shards: 4)
        #expect(result.steps == [.fileWindows, .estimateFiles, .wholeFilePlan])
        #expect(result.files.allSatisfy { $0.tests.isEmpty })
        #expect(result.plan.splitFiles.isEmpty)
        // The planner, given the tests too, makes the same plan.
        let withTests = result.files.map { file in
            file.path == "t/test_0.py"
                ? PlanFile(
                    path: file.path,
                    estimate: file.estimate,
                    tests: [PlanTest(name: "a", seconds: 0.5), PlanTest(name: "b", seconds: 0.5)]
                ) : file
        }
        #expect(try Planner(shardCount: 4).plan(withTests) == result.plan)
    }

    @Test func aGiantFileIsCutFromItsTestWindows() throws {
        // One 100 s file of 10 tests beside 9 files of 1 s: 2 shards need the giant file cut.
        var durations: [String: Double] = ["t/test_giant.py": 100]
        for index in 0..<10 { durations["t/test_giant.py::test_\(index)"] = 10 }
        let small = (0..<9).map { "t/test_small_\($0).py" }
        for file in small { durations[file] = 1 }
        let (store, folder) = try store(durations)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let result = try plan(["t/test_giant.py"] + small, store, shards: 2)
        #expect(result.steps == [.fileWindows, .estimateFiles, .wholeFilePlan, .testWindows, .testEstimates, .plan])
        #expect(result.plan.splitFiles == ["t/test_giant.py"])
        #expect(result.files[0].tests.map(\.name) == (0..<10).map { "test_\($0)" })
        #expect(result.files[0].tests.allSatisfy { $0.seconds == 10 })
        #expect(result.plan.estimatedMakespanSeconds == 55)
    }

    @Test func filesWithoutHistoryAreFilledAndListedOnce() throws {
        let (store, folder) = try store(["t/a/test_known.py": 3])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try plan(["t/a/test_known.py", "t/a/test_new.py", "t/a/test_new.py"], store, shards: 2)
        #expect(result.files.map(\.path) == ["t/a/test_known.py", "t/a/test_new.py"])
        #expect(result.files[1].estimate.source == .folderMedian)
        #expect(result.plan.unknownFiles == ["t/a/test_new.py"])
    }
}
