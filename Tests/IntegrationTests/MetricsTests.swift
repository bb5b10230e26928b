import Foundation
import Testing

/// Issue 7: `/healthz` and `/metrics` during a real run.
@Suite(.serialized) struct MetricsTests {
    @Test func metricsShowTheQueueDrainingToZero() async throws {
        var files: [String: String] = [:]
        for index in 0..<8 {
            files[String(format: "tests/test_%02d.py", index)] = SuiteFixture.testFile(tests: 2, sleep: 0.4)
        }
        let suite = try SuiteFixture(config: SuiteFixture.config(), files: files)
        defer { suite.remove() }
        let coordinator = try ChildProcess(
            Binaries.coordinator,
            ["run", "--config", suite.config, "--local-workers", "1", "--metrics-listen", "127.0.0.1:0",
             "--report-dir", suite.path("out")],
            in: suite.root
        )
        let line = try #require(await coordinator.waitFor("metrics on ", timeout: 30), "\(coordinator.transcript)")
        let url = try #require(line.components(separatedBy: "metrics on ").last)
        let health = url.replacingOccurrences(of: "/metrics", with: "/healthz")

        var queueSeen: [Double] = []
        var healthy = false
        var lastMetrics = ""
        while coordinator.process.isRunning {
            if let text = try? await curl(url) {
                lastMetrics = text
                if let value = sample("testshard_queue_items", in: text) { queueSeen.append(value) }
            }
            if let text = try? await curl(health), text.hasPrefix("ok") { healthy = true }
            try await Task.sleep(for: .milliseconds(150))
        }
        #expect(await coordinator.wait(timeout: 5) == 0, "\(coordinator.transcript)")
        #expect(healthy, "/healthz answered ok")
        #expect(queueSeen.contains { $0 > 0 }, "the queue held work at some point: \(queueSeen)")
        #expect(queueSeen.last == 0, "and drained to zero before the run ended: \(queueSeen)")
        #expect(lastMetrics.contains("# TYPE testshard_shard_duration_seconds histogram"))
        #expect(lastMetrics.contains("testshard_workers_connected"))
    }

    private func sample(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { return value }
        }
        return nil
    }

    private func curl(_ url: String) async throws -> String {
        let (status, process) = try await runToEnd(
            "/usr/bin/curl", ["-sS", "--max-time", "2", url], in: FileManager.default.temporaryDirectory, timeout: 5
        )
        guard status == 0 else { throw CancellationError() }
        return process.output
    }
}
