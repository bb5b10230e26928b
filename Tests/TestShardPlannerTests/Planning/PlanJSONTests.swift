import Foundation
import TestShardModel
import Testing

@testable import TestShardPlanner

@Suite("Plan JSON")
struct PlanJSONTests {
    private func samplePlan() throws -> Plan {
        let files = [
            PlanFile(path: "a.py", estimate: Estimate(seconds: 12.5, source: .history)),
            PlanFile(
                path: "b.py",
                estimate: Estimate(seconds: 30, source: .history),
                tests: [PlanTest(name: "test_x", seconds: 20), PlanTest(name: "test_y", seconds: 10)]
            ),
            PlanFile(path: "c.py", estimate: Estimate(seconds: 1, source: .default)),
        ]
        return try Planner(shardCount: 2).plan(files)
    }

    @Test func hasExactlyTheContractKeysPlusAdditions() throws {
        let object = try #require(JSONSerialization.jsonObject(with: try samplePlan().jsonData()) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "shards", "lower_bound_seconds", "estimated_makespan_seconds",
                "total_seconds", "longest_item", "split_files", "unknown_files",
            ]
        )
        let shards = try #require(object["shards"] as? [[String: Any]])
        #expect(shards.count == 2)
        for shard in shards {
            #expect(Set(shard.keys) == ["index", "items", "estimated_seconds"])
            #expect(shard["items"] is [String])
        }
        #expect(object["split_files"] as? [String] == ["b.py"])
        #expect(object["unknown_files"] as? [String] == ["c.py"])
        let longest = try #require(object["longest_item"] as? [String: Any])
        #expect(longest["item"] as? String == "b.py::test_x")
        #expect(longest["seconds"] as? Double == 20)
    }

    @Test func writesItemsAsPlainStrings() throws {
        let text = String(decoding: try samplePlan().jsonData(prettyPrinted: false), as: UTF8.self)
        // 30 s b.py is cut (ideal shard 21.75 s): 20 + 1 | 12.5 + 10.
        #expect(text.contains(#"{"estimated_seconds":21,"index":0,"items":["b.py::test_x","c.py"]}"#))
        #expect(text.contains(#"{"estimated_seconds":22.5,"index":1,"items":["a.py","b.py::test_y"]}"#))
    }

    @Test func roundTrips() throws {
        let plan = try samplePlan()
        #expect(try Plan(jsonData: plan.jsonData()) == plan)
    }

    @Test func readsAPlanWithOnlyTheContractKeys() throws {
        let json =
            #"{"shards":[{"index":0,"items":["a.py","b.py::test_x"],"estimated_seconds":12.5}],"#
            + #""lower_bound_seconds":12.5,"estimated_makespan_seconds":12.5}"#
        let plan = try Plan(jsonData: Data(json.utf8))
        #expect(plan.shards[0].items == ["a.py", "b.py::test_x"])
        #expect(plan.totalSeconds == 12.5)
        #expect(plan.splitFiles.isEmpty)
        #expect(plan.longestItem == nil)
    }
}
