import Foundation
import TestShardJUnit
import Testing

/// Issue 5: retries elsewhere, hang isolation, `rerun --from`.
@Suite(.serialized) struct FlakyAndHangTests {
    /// A test that fails on its first attempt and passes on the second is flaky; the run passes and
    /// junit.xml keeps both attempts.
    @Test func failThenPassIsFlakyAndTheRunPasses() async throws {
        let flaky = """
            import os

            MARKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".first-attempt-done")

            def test_flaky():
                if not os.path.exists(MARKER):
                    open(MARKER, "w").close()
                    assert False, "first attempt fails"

            def test_stable():
                assert True
            """
        let suite = try SuiteFixture(
            config: SuiteFixture.config(retries: 1),
            files: ["tests/test_flaky.py": flaky, "tests/test_other.py": SuiteFixture.testFile(tests: 2)]
        )
        defer { suite.remove() }
        let out = suite.path("out")
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "2", "--report-dir", out],
            in: suite.root
        )
        #expect(status == 0, "flaky is not failed\n\(run.transcript)")
        let report = try suite.reportJSON(out)
        let files = report["files"] as? [[String: Any]] ?? []
        #expect(files.first { $0["path"] as? String == "tests/test_flaky.py" }?["state"] as? String == "flaky")
        let junit = try String(contentsOfFile: out + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("<flakyFailure"), "the failed attempt is kept as flakyFailure")
        let read = JUnitReader(candidateFiles: ["tests/test_flaky.py", "tests/test_other.py"])
            .read(contentsOf: out + "/junit.xml")
        #expect(read.tests.first { $0.id == "tests/test_flaky.py::test_flaky" }?.status == .passed)
    }

    /// A shard of 10 files, one of which hangs: 9 files keep their real outcomes, the hanging one is
    /// named as TIMEOUT with its last output line.
    @Test func hangingFileIsIsolatedAndNamed() async throws {
        var files: [String: String] = [:]
        var durations: [String: Double] = [:]
        for index in 0..<10 {
            let name = String(format: "tests/test_%02d.py", index)
            durations[name] = 0.05
            files[name] =
                index == 4
                ? """
                import time

                def test_waits_forever():
                    print("Waiting for service backend...", flush=True)
                    time.sleep(3600)
                """
                : SuiteFixture.testFile(tests: 2, failing: index == 7 ? [1] : [])
        }
        // 20 s, not less: under a full parallel `swift test` a pytest start alone took most of 8 s,
        // and the isolated rerun of the hang was stopped before its test printed anything.
        let suite = try SuiteFixture(config: SuiteFixture.config(timeout: "20s"), files: files)
        defer { suite.remove() }
        // History that makes all ten files tiny, so they travel in one shard.
        try suite.write(
            "durations.json",
            String(decoding: try JSONSerialization.data(withJSONObject: durations), as: UTF8.self)
        )
        let (imported, importRun) = try await runToEnd(
            Binaries.coordinator,
            ["import", "--config", suite.config, "--format", "knapsack", suite.path("durations.json")],
            in: suite.root
        )
        #expect(imported == 0, "\(importRun.transcript)")
        let out = suite.path("out")
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "1", "--report-dir", out],
            in: suite.root,
            timeout: 180
        )
        #expect(status == 3, "a file without a result\n\(run.transcript)")
        let report = try suite.reportJSON(out)
        let shards = report["shards"] as? [[String: Any]] ?? []
        #expect(shards.contains { ($0["items"] as? [String])?.count == 10 }, "the ten files went out as one shard")
        let states = Dictionary(
            (report["files"] as? [[String: Any]] ?? []).map { ($0["path"] as? String ?? "", $0) },
            uniquingKeysWith: { a, _ in a }
        )
        #expect(states.count == 10)
        #expect(states["tests/test_04.py"]?["notRunReason"] as? String == "timeout")
        #expect(states["tests/test_07.py"]?["state"] as? String == "failed", "its real outcome")
        let passed = states.values.filter { $0["state"] as? String == "passed" }.count
        #expect(passed == 8)
        let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(markdown.contains("TIMEOUT"))
        #expect(markdown.contains("Waiting for service backend"), "the hang's last output line")
    }

    /// `rerun --from` on a run with 3 failures reruns exactly those 3 tests, linked to the parent.
    @Test func rerunRunsExactlyTheFailedTests() async throws {
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: [
                "tests/test_a.py": SuiteFixture.testFile(tests: 4, failing: [1, 3]),
                "tests/test_b.py": SuiteFixture.testFile(tests: 3, failing: [0]),
                "tests/test_c.py": SuiteFixture.testFile(tests: 3),
            ]
        )
        defer { suite.remove() }
        let first = suite.path("first")
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "1", "--report-dir", first],
            in: suite.root
        )
        #expect(status == 1, "\(run.transcript)")
        let parent = try #require((try suite.reportJSON(first))["run"] as? [String: Any])["id"] as? String
        let second = suite.path("second")
        let (rerunStatus, rerun) = try await runToEnd(
            Binaries.coordinator,
            [
                "rerun", "--config", suite.config, "--from", try #require(parent), "--failed", "--local-workers", "1",
                "--report-dir", second,
            ],
            in: suite.root
        )
        #expect(rerunStatus == 1, "\(rerun.transcript)")
        let report = try suite.reportJSON(second)
        #expect((report["run"] as? [String: Any])?["parentRunId"] as? String == parent)
        #expect((report["run"] as? [String: Any])?["kind"] as? String == "rerun")
        let commands = (report["shards"] as? [[String: Any]] ?? []).compactMap { $0["command"] as? String }
        let ran = commands.flatMap { $0.split(separator: " ").map(String.init) }.filter { $0.hasPrefix("tests/") }
            .sorted()
        #expect(ran == ["tests/test_a.py::test_1", "tests/test_a.py::test_3", "tests/test_b.py::test_0"])
        let markdown = try String(contentsOfFile: second + "/report.md", encoding: .utf8)
        #expect(markdown.contains("still failing"))
    }
}
