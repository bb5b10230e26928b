import Foundation
import Testing

/// Shards running side by side on one host get the numeric libraries' thread variables
/// (`ThreadLimit`): the host's cores divided among them, unless the suite or the worker's
/// environment sets them, or `TESTSHARD_THREADS_PER_SHARD=off`.
@Suite(.serialized) struct ThreadLimitTests {
    /// A suite whose tests record the variables their process got; `OMP_NUM_THREADS` is the suite's.
    private func suite() throws -> SuiteFixture {
        let test = """
            import json
            import os


            def test_records_its_environment():
                names = ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"]
                path = os.path.join(os.environ["THREADS_OUT"], os.path.basename(__file__) + ".json")
                with open(path, "w") as handle:
                    json.dump({name: os.environ.get(name) for name in names}, handle)

            """
        let suite = try SuiteFixture(
            config: """
                [suite]
                include = ["tests/**/test_*.py"]
                env = { OMP_NUM_THREADS = "7" }
                """,
            files: ["tests/test_a.py": test, "tests/test_b.py": test, "tests/test_c.py": test]
        )
        try FileManager.default.createDirectory(atPath: suite.path("threads"), withIntermediateDirectories: true)
        return suite
    }

    private func recorded(_ suite: SuiteFixture) throws -> [[String: String?]] {
        try ["test_a.py", "test_b.py", "test_c.py"].map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: suite.path("threads/\(name).json")))
            return try JSONDecoder().decode([String: String?].self, from: data)
        }
    }

    /// Runs the suite on two local workers and returns what each test file recorded.
    private func runOnTwoLocalWorkers(
        _ suite: SuiteFixture,
        environment: [String: String] = [:]
    ) async throws -> [[String: String?]] {
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--local-workers", "2", "--report-dir", suite.path("out")],
            in: suite.root,
            environment: environment.merging(["THREADS_OUT": suite.path("threads")]) { _, new in new }
        )
        #expect(status == 0, "\(run.transcript)")
        return try recorded(suite)
    }

    @Test func localWorkersDivideTheHostsCores() async throws {
        let suite = try suite()
        defer { suite.remove() }
        let records = try await runOnTwoLocalWorkers(suite)
        let inherited = ProcessInfo.processInfo.environment
        let divided = String(max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
        for record in records {
            #expect(record["OMP_NUM_THREADS"] == .some("7"), "the suite's env wins: \(record)")
            #expect(record["OPENBLAS_NUM_THREADS"] == .some(inherited["OPENBLAS_NUM_THREADS"] ?? divided))
            #expect(record["MKL_NUM_THREADS"] == .some(inherited["MKL_NUM_THREADS"] ?? divided))
        }
    }

    @Test func offLeavesTheEnvironmentAlone() async throws {
        let suite = try suite()
        defer { suite.remove() }
        let records = try await runOnTwoLocalWorkers(suite, environment: ["TESTSHARD_THREADS_PER_SHARD": "off"])
        let inherited = ProcessInfo.processInfo.environment
        for record in records {
            #expect(record["OMP_NUM_THREADS"] == .some("7"))
            #expect(record["OPENBLAS_NUM_THREADS"] == .some(inherited["OPENBLAS_NUM_THREADS"]))
        }
    }

    @Test func aBadSettingIsNamed() async throws {
        let suite = try suite()
        defer { suite.remove() }
        let (status, run) = try await runToEnd(
            Binaries.worker,
            ["--coordinator", "127.0.0.1:9", "--token-file", suite.path("none"), "--threads-per-shard", "0"],
            in: suite.root
        )
        #expect(status != 0)
        #expect(run.transcript.contains("--threads-per-shard 0: expected auto, off or a number from 1 to 4096"))
    }
}
