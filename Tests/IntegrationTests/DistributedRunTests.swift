import Foundation
import TestShardJUnit
import TestShardModel
import Testing

/// Issue 3: real coordinator and worker processes on 127.0.0.1, real pytest.
@Suite(.serialized) struct DistributedRunTests {
    /// The merged junit.xml holds exactly the test ids and outcomes of one direct pytest run.
    @Test func mergedJUnitMatchesADirectPytestRun() async throws {
        let suite = try SuiteFixture.example()
        defer { suite.remove() }
        let reportDirectory = suite.path("out")
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--local-workers", "2", "--retries", "0", "--report-dir",
                reportDirectory,
            ],
            in: suite.root
        )
        #expect(status == 1, "the example suite has failures\n\(run.transcript)")
        let (directStatus, direct) = try await runToEnd(
            "/usr/bin/env",
            [
                "python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "junit_family=xunit1",
                "--junitxml=direct.xml", "tests",
            ],
            in: suite.root
        )
        #expect(directStatus == 1, "\(direct.transcript)")

        let inventory = try FileManager.default.subpathsOfDirectory(atPath: suite.path("tests"))
            .filter { $0.hasSuffix(".py") }.map { "tests/" + $0 }
        let reader = JUnitReader(candidateFiles: inventory)
        let merged = reader.read(contentsOf: reportDirectory + "/junit.xml")
        let expected = reader.read(contentsOf: suite.path("direct.xml"))
        #expect(merged.state == .ok && expected.state == .ok)
        let mergedOutcomes = Dictionary(merged.tests.map { ($0.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        let expectedOutcomes = Dictionary(expected.tests.map { ($0.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        #expect(merged.tests.count == mergedOutcomes.count, "a test appears twice in the merged junit.xml")
        #expect(mergedOutcomes.count == 87)
        #expect(mergedOutcomes == expectedOutcomes)
    }

    /// A worker killed with SIGKILL mid-shard: its work finishes elsewhere, nothing lost or doubled.
    @Test func killedWorkerLosesNothing() async throws {
        var files: [String: String] = [:]
        for index in 0..<6 { files["tests/test_slow_\(index).py"] = SuiteFixture.testFile(tests: 3, sleep: 0.5) }
        let suite = try SuiteFixture(config: SuiteFixture.config(), files: files)
        defer { suite.remove() }
        let token = try suite.tokenFile()
        let reportDirectory = suite.path("out")
        let coordinator = try ChildProcess(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--listen", "127.0.0.1:0", "--token-file", token,
                "--expect-workers", "2", "--report-dir", reportDirectory, "--log-level", "info",
            ],
            in: suite.root
        )
        let address = try #require(await coordinator.listeningAddress())
        let victim = try startWorker(address: address, name: "victim", suite: suite, token: token)
        let survivor = try startWorker(address: address, name: "survivor", suite: suite, token: token)
        _ = survivor
        #expect(await victim.waitFor("running shard", timeout: 30) != nil, "\(victim.transcript)")
        try await Task.sleep(for: .milliseconds(700))
        victim.kill(signal: SIGKILL)

        let status = await coordinator.wait(timeout: 120)
        #expect(status == 0, "\(coordinator.transcript)")
        #expect(coordinator.errors.contains("worker lost with shards running"))

        let inventory = (0..<6).map { "tests/test_slow_\($0).py" }
        let merged = JUnitReader(candidateFiles: inventory).read(contentsOf: reportDirectory + "/junit.xml")
        let ids = merged.tests.map(\.id)
        #expect(ids.count == 18, "every test exactly once: \(ids)")
        #expect(Set(ids).count == 18)
        #expect(merged.tests.allSatisfy { $0.status == .passed })
        let report = try suite.reportJSON(reportDirectory)
        let shards = report["shards"] as? [[String: Any]] ?? []
        let lost = shards.filter { (($0["exit"] as? [String: Any])?["kind"] as? String) == "lost" }
        #expect(!lost.isEmpty, "the killed worker's shard is in the execution log as lost")
    }

    /// A worker with the wrong token is refused; the run goes on with the others.
    @Test func wrongTokenIsRefusedWhileTheRunGoesOn() async throws {
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: ["tests/test_a.py": SuiteFixture.testFile(tests: 2, sleep: 0.3)]
        )
        defer { suite.remove() }
        let token = try suite.tokenFile()
        let wrong = try suite.tokenFile("wrong", token: "ffffffffffffffffffffffffffffffff")
        let coordinator = try ChildProcess(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--listen", "127.0.0.1:0", "--token-file", token,
                "--report-dir", suite.path("out"),
            ],
            in: suite.root
        )
        let address = try #require(await coordinator.listeningAddress())
        let intruder = try startWorker(address: address, name: "intruder", suite: suite, token: wrong)
        #expect(await intruder.wait(timeout: 30) == 1, "refused for good: exit 1\n\(intruder.transcript)")
        #expect(intruder.errors.contains("token"), "\(intruder.transcript)")
        let good = try startWorker(address: address, name: "good", suite: suite, token: token)
        _ = good
        #expect(await coordinator.wait(timeout: 60) == 0, "\(coordinator.transcript)")
        #expect(coordinator.errors.contains("failed authentication"))
    }

    /// A worker's default scratch folder is its process's own and goes when the worker exits; a
    /// folder given with --scratch is the operator's and stays.
    @Test func aWorkerRemovesItsOwnScratchFolderWhenItExits() async throws {
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: [
                "tests/test_a.py": SuiteFixture.testFile(tests: 2, sleep: 0.3),
                "tests/test_b.py": SuiteFixture.testFile(tests: 2, sleep: 0.3),
            ]
        )
        defer { suite.remove() }
        let token = try suite.tokenFile()
        let coordinator = try ChildProcess(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--listen", "127.0.0.1:0", "--token-file", token,
                "--expect-workers", "2", "--report-dir", suite.path("out"),
            ],
            in: suite.root
        )
        let address = try #require(await coordinator.listeningAddress())
        let own = try startWorker(address: address, name: "own", suite: suite, token: token)
        let given = suite.path("given-scratch")
        let operators = try startWorker(
            address: address,
            name: "given",
            suite: suite,
            token: token,
            extra: ["--scratch", given]
        )
        let ownFolder = NSTemporaryDirectory() + "/testshard-worker-\(own.pid)"
        #expect(await coordinator.wait(timeout: 120) == 0, "\(coordinator.transcript)")
        #expect(await own.wait(timeout: 60) == 0, "\(own.transcript)")
        #expect(await operators.wait(timeout: 60) == 0, "\(operators.transcript)")
        #expect(!FileManager.default.fileExists(atPath: ownFolder), "\(ownFolder) is left behind")
        #expect(FileManager.default.fileExists(atPath: given))
    }

    /// A shard past its timeout is killed with its whole process group and reported as a timeout.
    @Test func shardTimeoutKillsTheWholeProcessGroup() async throws {
        let marker = "\(Int.random(in: 100_000...999_999))"
        let hang = """
            import subprocess, time

            def test_hangs():
                subprocess.Popen(["sleep", "\(marker)"])
                time.sleep(3600)
            """
        let suite = try SuiteFixture(
            config: SuiteFixture.config(timeout: "8s"),
            files: [
                "tests/test_hang.py": hang,
                "tests/test_ok.py": SuiteFixture.testFile(tests: 2),
            ]
        )
        defer { suite.remove() }
        let reportDirectory = suite.path("out")
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "1", "--report-dir", reportDirectory],
            in: suite.root,
            timeout: 120
        )
        #expect(status == 3, "a file without a result: exit 3\n\(run.transcript)")
        let report = try suite.reportJSON(reportDirectory)
        let files = report["files"] as? [[String: Any]] ?? []
        let hung = files.first { $0["path"] as? String == "tests/test_hang.py" }
        #expect(hung?["notRunReason"] as? String == "timeout", "\(String(describing: hung))")
        let ok = files.first { $0["path"] as? String == "tests/test_ok.py" }
        #expect(ok?["state"] as? String == "passed")
        #expect(try String(contentsOfFile: reportDirectory + "/report.md", encoding: .utf8).contains("TIMEOUT"))
        // The grandchild `sleep <marker>` died with the group.
        try await Task.sleep(for: .milliseconds(300))
        let (_, pgrep) = try await runToEnd("/usr/bin/pgrep", ["-f", "sleep \(marker)"], in: suite.root)
        #expect(pgrep.output.isEmpty, "left behind: \(pgrep.output)")
    }

    /// A second run plans with the durations the first recorded.
    @Test func secondRunPlansWithRecordedDurations() async throws {
        let suite = try SuiteFixture(
            config: SuiteFixture.config(),
            files: [
                "tests/test_slow.py": SuiteFixture.testFile(tests: 1, sleep: 2.5),
                "tests/test_fast.py": SuiteFixture.testFile(tests: 1),
            ]
        )
        defer { suite.remove() }
        let (before, _) = try await runToEnd(
            Binaries.coordinator,
            ["plan", "--config", suite.config, "--shards", "2", "--json"],
            in: suite.root
        )
        #expect(before == 0)
        let (status, run) = try await runToEnd(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "1", "--report-dir", suite.path("out")],
            in: suite.root
        )
        #expect(status == 0, "\(run.transcript)")
        let (after, plan) = try await runToEnd(
            Binaries.coordinator,
            ["plan", "--config", suite.config, "--shards", "2", "--json"],
            in: suite.root
        )
        #expect(after == 0, "\(plan.transcript)")
        let json = try JSONSerialization.jsonObject(with: Data(plan.output.utf8)) as? [String: Any]
        let shards = json?["shards"] as? [[String: Any]] ?? []
        let slow = shards.first { ($0["items"] as? [String])?.contains("tests/test_slow.py") == true }
        let seconds = slow?["estimated_seconds"] as? Double ?? 0
        #expect(seconds > 2.4 && seconds < 5, "estimate from the recorded run, not the 1 s default: \(seconds)")
    }

    // MARK: - Helpers

    private func startWorker(
        address: String,
        name: String,
        suite: SuiteFixture,
        token: String,
        extra: [String] = []
    ) throws -> ChildProcess {
        try ChildProcess(
            Binaries.worker,
            [
                "--coordinator", address, "--root", suite.root.path, "--token-file", token, "--name", name, "--once",
                "--give-up-after", "30s",
            ] + extra,
            in: suite.root
        )
    }
}
