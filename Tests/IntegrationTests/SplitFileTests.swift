import Foundation
import TestShardJUnit
import Testing

/// A file longer than the ideal shard is cut into its tests, and a test without history still runs.
@Suite(.serialized) struct SplitFileTests {
    @Test func giantFileIsSplitAndEveryTestRunsOnce() async throws {
        var giant = "import time\n"
        var durations: [String: Double] = [:]
        for index in 0..<8 {
            giant += "\ndef test_\(index)():\n    time.sleep(0.8)\n"
            durations["tests/test_giant.py::test_\(index)"] = 0.8
        }
        giant += "\ndef test_new_without_history():\n    assert True\n"
        var files = ["tests/test_giant.py": giant]
        for index in 0..<3 {
            files["tests/test_small_\(index).py"] = SuiteFixture.testFile(tests: 2)
            durations["tests/test_small_\(index).py::test_0"] = 0.05
            durations["tests/test_small_\(index).py::test_1"] = 0.05
        }
        let suite = try SuiteFixture(config: SuiteFixture.config(), files: files)
        defer { suite.remove() }
        try suite.write(
            ".test_durations",
            String(decoding: try JSONSerialization.data(withJSONObject: durations), as: UTF8.self)
        )
        let (imported, importRun) = try await runToEnd(
            Binaries.coordinator,
            ["import", "--config", suite.config, "--format", "pytest-split", suite.path(".test_durations")],
            in: suite.root
        )
        #expect(imported == 0, "\(importRun.transcript)")
        let out = suite.path("out")
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "2", "--report-dir", out],
            in: suite.root
        )
        #expect(status == 0, "\(run.transcript)")
        let report = try suite.reportJSON(out)
        let items = (report["shards"] as? [[String: Any]] ?? []).flatMap { $0["items"] as? [String] ?? [] }
        let giantTests = items.filter { $0.hasPrefix("tests/test_giant.py::") }
        #expect(giantTests.count == 8, "the giant file went out as its 8 tests: \(items)")
        let shardsWithGiant = (report["shards"] as? [[String: Any]] ?? []).filter {
            ($0["items"] as? [String] ?? []).contains { $0.hasPrefix("tests/test_giant.py") }
        }
        #expect(shardsWithGiant.count >= 2, "spread over more than one shard")

        let inventory = ["tests/test_giant.py"] + (0..<3).map { "tests/test_small_\($0).py" }
        let merged = JUnitReader(candidateFiles: inventory).read(contentsOf: out + "/junit.xml")
        let ids = merged.tests.map(\.id)
        #expect(ids.count == Set(ids).count, "no test ran twice")
        #expect(ids.filter { $0.hasPrefix("tests/test_giant.py::") }.count == 9)
        #expect(ids.contains("tests/test_giant.py::test_new_without_history"), "the remainder ran the new test")
        #expect(ids.count == 15)
    }
}
