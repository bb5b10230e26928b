import Foundation
import TestShardModel
import Testing

@testable import TestShardPlanner

/// The "Done when" target of issue 2 on the real timing files in shared/bench/durations: every
/// entry covered exactly once, makespan within 1% of max(total / N, longest test) for test-level
/// data (longest file for file-level data), at most N files cut.
@Suite("Benchmark datasets")
struct BenchmarkDatasetTests {
    /// `../shared/bench/durations` beside the repository (as CI lays it out), found from this file.
    static let directory: URL? = {
        var root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<4 { root.deleteLastPathComponent() }
        let candidate = root.deletingLastPathComponent().appendingPathComponent("shared/bench/durations")
        return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
    }()

    static let datasets: [String] = {
        guard let directory else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    @Test(.enabled(if: directory != nil, "shared/bench/durations is not beside the repository"), arguments: datasets)
    func meetsTheBoundOnEveryShardCount(dataset: String) throws {
        let data = try Data(contentsOf: Self.directory!.appendingPathComponent(dataset))
        let file = try DurationsFile(jsonData: data)
        let total = file.durations.values.sorted().reduce(0, +)
        let longest = file.durations.values.max()!
        let keysByFile = Dictionary(grouping: file.durations.keys) { String(NodeID.split($0).file) }
        for shards in [4, 8, 16, 32] {
            let plan = try Planner(shardCount: shards).plan(file.planFiles())
            // Coverage, checked against the file's own keys.
            var covered: [String: Int] = [:]
            for item in plan.shards.flatMap(\.items) {
                if item.isWholeFile, file.unit == .test {
                    for key in keysByFile[item.id] ?? [] { covered[key, default: 0] += 1 }
                } else {
                    covered[item.id, default: 0] += 1
                }
            }
            #expect(covered.count == file.durations.count, "\(dataset) N=\(shards): some entries are missing")
            #expect(covered.values.allSatisfy { $0 == 1 }, "\(dataset) N=\(shards): an entry is covered twice")
            let bound = max(total / Double(shards), longest)
            let ratio = plan.estimatedMakespanSeconds / bound
            #expect(ratio <= 1.01, "\(dataset) N=\(shards): makespan/bound \(ratio)")
            #expect(plan.splitFiles.count <= shards)
            if plan.shards.reduce(0, { $0 + $1.items.count }) >= shards {
                #expect(plan.shards.allSatisfy { !$0.items.isEmpty }, "\(dataset) N=\(shards): an empty shard")
            }
        }
    }
}
