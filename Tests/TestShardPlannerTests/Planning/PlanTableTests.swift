import TestShardModel
import Testing

@testable import TestShardPlanner

@Suite("Plan table")
struct PlanTableTests {
    @Test func showsEveryShardWithItsItemCountAndEstimate() throws {
        let files = (0..<9).map {
            PlanFile(path: "t\($0).py", estimate: Estimate(seconds: Double($0 + 1) * 10, source: .history))
        }
        let plan = try Planner(shardCount: 3).plan(files)
        let lines = plan.renderTable().split(separator: "\n").map(String.init)
        #expect(lines[0].split(separator: " ") == ["shard", "items", "estimate"])
        for shard in plan.shards {
            let cells = lines[1 + shard.index].split(separator: " ").map(String.init)
            #expect(
                cells == [String(shard.index), String(shard.items.count), DurationText.format(shard.estimatedSeconds)]
            )
        }
        #expect(lines.contains("total 9 items, 7m30s over 3 shards"))
    }

    @Test func namesTheLongestItemBesideTheLowerBound() throws {
        let files = [
            PlanFile(path: "tests/giant.rb", estimate: Estimate(seconds: 600, source: .history)),
            PlanFile(path: "tests/a.rb", estimate: Estimate(seconds: 60, source: .history)),
        ]
        let text = try Planner(shardCount: 4).plan(files).renderTable()
        #expect(text.contains("lower bound 10m00s = the longest item (longest item: tests/giant.rb, 10m00s)"))
        #expect(text.contains("estimated makespan 10m00s (+0.0% over the bound)"))
    }

    @Test func saysWhenTheBoundIsTheAverageShard() throws {
        let files = (0..<8).map { PlanFile(path: "t\($0).py", estimate: Estimate(seconds: 10, source: .history)) }
        let text = try Planner(shardCount: 2).plan(files).renderTable()
        #expect(text.contains("lower bound 40s = total / 2 (longest item: t0.py, 10s)"))
    }

    @Test func listsSplitFilesAndFilesWithoutHistory() throws {
        let files = [
            PlanFile(
                path: "big.py",
                estimate: Estimate(seconds: 100, source: .history),
                tests: [PlanTest(name: "a", seconds: 50), PlanTest(name: "b", seconds: 50)]
            ),
            PlanFile(path: "new.py", estimate: Estimate(seconds: 5, source: .folderMedian)),
            PlanFile(path: "old.py", estimate: Estimate(seconds: 5, source: .history)),
        ]
        let text = try Planner(shardCount: 2).plan(files).renderTable()
        #expect(text.contains("split into tests (1): big.py"))
        #expect(text.contains("no history (1 files, planned on a folder or suite median or the default): new.py"))
    }
}
