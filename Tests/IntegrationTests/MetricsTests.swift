import Foundation
import Testing

/// Issue 7: `/healthz` and `/metrics` during a real run.
@Suite(.serialized) struct MetricsTests {
    /// The run is driven so every observation is certain however busy the machine is: the queue is
    /// read before the only worker starts, and the last file (last by path, so last in the queue when
    /// every estimate ties) waits for a marker that the test writes only after it has seen the
    /// queue at zero.
    @Test func metricsShowTheQueueDrainingToZero() async throws {
        var files: [String: String] = [:]
        for index in 0..<7 {
            files[String(format: "tests/test_%02d.py", index)] = SuiteFixture.testFile(tests: 2, sleep: 0.1)
        }
        let suite = try SuiteFixture(config: SuiteFixture.config(timeout: "120s"), files: files)
        defer { suite.remove() }
        let release = suite.path("release-the-last-file")
        try suite.write(
            "tests/test_07.py",
            """
            import os, time

            def test_waits_for_the_queue_to_be_seen_empty():
                deadline = time.time() + 90
                while not os.path.exists(\(String(reflecting: release))) and time.time() < deadline:
                    time.sleep(0.05)
                assert os.path.exists(\(String(reflecting: release))), "the test never saw the queue at zero"

            """
        )
        let token = try suite.tokenFile()
        let coordinator = try ChildProcess(
            Binaries.coordinator,
            [
                "run", "--config", suite.config, "--listen", "127.0.0.1:0", "--token-file", token,
                "--expect-workers", "1", "--metrics-listen", "127.0.0.1:0", "--report-dir", suite.path("out"),
            ],
            in: suite.root
        )
        let line = try #require(await coordinator.waitFor("metrics on ", timeout: 60), "\(coordinator.transcript)")
        let url = try #require(line.components(separatedBy: "metrics on ").last)
        let health = url.replacingOccurrences(of: "/metrics", with: "/healthz")
        let address = try #require(await coordinator.listeningAddress(), "\(coordinator.transcript)")

        let before = try await curl(url)
        #expect(sample("testshard_queue_items", in: before) == 8, "all 8 files queued, no worker yet:\n\(before)")
        #expect(sample("testshard_workers_connected", in: before) == 0)
        #expect(try await curl(health).hasPrefix("ok"), "/healthz answers ok during the run")

        let worker = try ChildProcess(
            Binaries.worker,
            [
                "--coordinator", address, "--root", suite.root.path, "--token-file", token, "--name", "only", "--once",
                "--give-up-after", "60s",
            ],
            in: suite.root
        )
        var queueSeen: [Double] = []
        var lastMetrics = ""
        let deadline = Date().addingTimeInterval(90)
        while coordinator.process.isRunning, Date() < deadline {
            if let text = try? await curl(url) {
                lastMetrics = text
                if let value = sample("testshard_queue_items", in: text) {
                    queueSeen.append(value)
                    if value == 0 { break }
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        FileManager.default.createFile(atPath: release, contents: Data())
        #expect(await coordinator.wait(timeout: 120) == 0, "\(coordinator.transcript)\n\(worker.transcript)")
        #expect(queueSeen.last == 0, "the queue drained to zero while the last file still ran: \(queueSeen)")
        #expect(lastMetrics.contains("# TYPE testshard_shard_duration_seconds histogram"))
        #expect(sample("testshard_workers_connected", in: lastMetrics) == 1, "\(lastMetrics)")
    }

    private func sample(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { return value }
        }
        return nil
    }

    private func curl(_ url: String) async throws -> String {
        let (status, process) = try await runToEnd(
            "/usr/bin/curl",
            ["-sS", "--max-time", "2", url],
            in: FileManager.default.temporaryDirectory,
            timeout: 5
        )
        guard status == 0 else { throw CancellationError() }
        return process.output
    }
}
