import Foundation
import Testing

/// Issue 9: durations go out (`export`) and come back in (`import`) unchanged, so a team can try
/// TestShard and go back to pytest-split or knapsack without losing data.
@Suite(.serialized) struct ExportImportTests {
    /// Run a small suite, export its history, import the file into a fresh database, export again:
    /// the two files hold the same names and exactly the same numbers.
    @Test(arguments: ["pytest-split", "knapsack"])
    func importOfAnExportGivesTheSameDurationsExactly(format: String) async throws {
        let parametrized = """
            import time
            import pytest

            @pytest.mark.parametrize("name", ["plain", "with space", "a::b"])
            def test_names(name):
                time.sleep(0.013)

            # pytest escapes non-ASCII parameter ids (`[\\xfc]`) but keeps function names as written.
            def test_ünïcode():
                time.sleep(0.013)

            def test_slow():
                time.sleep(0.21)
            """
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: [
                "tests/test_names.py": parametrized,
                "tests/sub/test_other.py": SuiteFixture.testFile(tests: 3, sleep: 0.037),
                "tests/test_failing.py": SuiteFixture.testFile(tests: 2, failing: [1]),
            ]
        )
        defer { suite.remove() }
        let first = suite.path("first.sqlite")
        for round in 1...2 {
            // Two runs, so a figure is a statistic over several samples, not one sample copied.
            let (status, run) = try await runToEnd(
                Binaries.coordinator,
                [
                    "run", "--config", suite.config, "--db", first, "--local-workers", "1", "--retries", "0",
                    "--report-dir", suite.path("out-\(round)"),
                ],
                in: suite.root
            )
            #expect(status == 1, "the suite has one failing test\n\(run.transcript)")
        }

        let exported = suite.path("exported.json")
        try await coordinator(
            ["export", "--format", format, "--config", suite.config, "--db", first, "--output", exported],
            suite
        )
        let second = suite.path("second.sqlite")
        try await coordinator(
            ["import", "--format", format, "--config", suite.config, "--db", second, exported],
            suite
        )
        let again = suite.path("again.json")
        try await coordinator(
            ["export", "--format", format, "--config", suite.config, "--db", second, "--output", again],
            suite
        )

        let before = try durations(exported)
        let after = try durations(again)
        #expect(!before.isEmpty)
        if format == "pytest-split" {
            #expect(before.keys.contains("tests/test_names.py::test_ünïcode"))
            #expect(before.keys.contains("tests/test_names.py::test_names[a::b]"))
        } else {
            #expect(before.keys.contains("tests/test_names.py") && before.keys.contains("tests/sub/test_other.py"))
        }
        #expect(after == before, "\(before)\nvs\n\(after)")
        // Exactly: the same bits, not merely close.
        for (name, seconds) in before { #expect(after[name]?.bitPattern == seconds.bitPattern, "\(name)") }
        #expect(try String(contentsOfFile: again, encoding: .utf8) == String(contentsOfFile: exported, encoding: .utf8))
    }

    // MARK: - Helpers

    private func coordinator(_ arguments: [String], _ suite: SuiteFixture) async throws {
        let (status, process) = try await runToEnd(Binaries.coordinator, arguments, in: suite.root)
        #expect(status == 0, "\(arguments.first ?? "") failed\n\(process.transcript)")
    }

    private func durations(_ path: String) throws -> [String: Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
}
