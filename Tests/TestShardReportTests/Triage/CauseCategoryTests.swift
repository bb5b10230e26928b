import TestShardModel
import Testing

@testable import TestShardReport

/// Cause categories (report-anchors §8.6): first match wins, and the deciding rule is recorded.
@Suite struct CauseCategoryTests {
    @Test func configRulesComeBeforeBuiltInOnesAndAreRecorded() throws {
        var fixture = SnapshotFixture()
        fixture.configuration.triageRules = [
            TriageRule(
                id: "infra.docker.start",
                category: .environment,
                message: "Failed to start Docker services",
                action: "Restart dockerd on {file}'s worker",
                severityFloor: .critical
            )
        ]
        fixture.shard(
            "s1",
            files: ["tests/a.py"],
            tests: [
                ("tests/a.py", "t", .error, SnapshotFixture.setupError("RuntimeError: Failed to start Docker services"))
            ]
        )
        let cluster = try #require(fixture.report.clusters.first)
        #expect(cluster.category == .environment)
        #expect(cluster.categorySource == "rule:infra.docker.start")
        #expect(cluster.nextAction == "Restart dockerd on tests/a.py's worker")
        #expect(cluster.severity == .critical)
        #expect(fixture.report.appendix.rules.first?.id == "infra.docker.start")
        #expect(fixture.report.appendix.rules.first?.clusters == 1)
    }

    @Test func typeRulesMatchTheWholeType() throws {
        var fixture = SnapshotFixture()
        fixture.configuration.triageRules = [TriageRule(id: "keys", category: .product, type: "KeyError")]
        fixture.shard(
            "s1",
            files: ["tests/a.py", "tests/b.py"],
            tests: [
                ("tests/a.py", "t", .failed, SnapshotFixture.error("KeyError: 'x'")),
                ("tests/b.py", "t", .failed, SnapshotFixture.error("MyKeyError: 'x'")),
            ]
        )
        let report = fixture.report
        #expect(try #require(report.cluster(containing: "KeyError: 'x'")).categorySource == "rule:keys")
        #expect(try #require(report.cluster(containing: "MyKeyError")).categorySource == "default")
    }

    @Test func heuristicsWhenNoRuleMatches() throws {
        var fixture = SnapshotFixture()
        fixture.shard(
            "s1",
            files: ["tests/a.py", "tests/b.py", "tests/c.py"],
            tests: [
                ("tests/a.py", "t", .error, SnapshotFixture.setupError("OSError: fixture database busy")),
                (
                    "tests/b.py", "t", .failed,
                    SnapshotFixture.assertion("assert total == 7", file: "tests/b.py", function: "t")
                ),
                ("tests/c.py", "t", .failed, SnapshotFixture.error("ZeroDivisionError: division by zero")),
            ]
        )
        let report = fixture.report
        #expect(
            try #require(report.cluster(containing: "fixture database busy")).categorySource == "heuristic:setup_error"
        )
        #expect(try #require(report.cluster(containing: "fixture database busy")).category == .testInfrastructure)
        #expect(try #require(report.cluster(containing: "assert total")).categorySource == "heuristic:assertion")
        #expect(try #require(report.cluster(containing: "ZeroDivisionError")).category == .unknown)
    }

    @Test(arguments: [
        ("ModuleNotFoundError: No module named 'grpc_tools'", CauseCategory.environment, "builtin:import.missing"),
        ("fixture 'db_session' not found", .testInfrastructure, "builtin:fixture.not_found"),
        ("OSError: [Errno 98] Address already in use", .environment, "builtin:net.port_in_use"),
        (
            "ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 8432)", .environment,
            "builtin:net.connection_refused"
        ),
        (
            "docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock", .infrastructure,
            "builtin:docker.start"
        ),
        ("TimeoutError: service backend not healthy after 120.4s", .environment, "builtin:timeout.test"),
        (
            "AttributeError: 'ChatSettings' object has no attribute 'redis_url'", .testInfrastructure,
            "builtin:config_drift"
        ),
    ])
    func builtInRulePack(message: String, category: CauseCategory, source: String) throws {
        var fixture = SnapshotFixture()
        fixture.shard(
            "s1",
            files: ["tests/a.py"],
            tests: [("tests/a.py", "t", .failed, SnapshotFixture.error(message))]
        )
        let cluster = try #require(fixture.report.clusters.first)
        #expect(cluster.category == category)
        #expect(cluster.categorySource == source)
    }

    @Test func builtInRulesCanBeTurnedOff() throws {
        var fixture = SnapshotFixture()
        fixture.configuration.builtinRules = false
        fixture.shard(
            "s1",
            files: ["tests/a.py"],
            tests: [("tests/a.py", "t", .error, SnapshotFixture.setupError("no such service: backend"))]
        )
        #expect(try #require(fixture.report.clusters.first).categorySource == "heuristic:setup_error")
    }

    @Test func aClusterMostlyOnOneWorkerPointsAtThatWorker() throws {
        var fixture = SnapshotFixture()
        let message = SnapshotFixture.error("OSError: read-only file system")
        for index in 0..<4 {
            let file = "tests/t\(index).py"
            fixture.shard("s\(index)", worker: "w2", files: [file], tests: [(file, "t", .failed, message)])
        }
        fixture.shard("s9", worker: "w1", files: ["tests/t9.py"], tests: [("tests/t9.py", "t", .failed, message)])
        let report = fixture.report
        let cluster = try #require(report.clusters.first)
        #expect(cluster.workers.map(\.worker) == ["w2", "w1"])
        #expect(cluster.workers.first?.fraction == 0.8)
        #expect(cluster.suspectWorker == "w2")
        #expect(cluster.category == .infrastructure)
        #expect(cluster.categorySource == "heuristic:worker_concentration:w2")
        #expect(report.workers.first { $0.id == "w2" }?.concentratedClusters == [cluster.id])
        #expect(cluster.nextAction.contains("80% of these failures ran on worker w2"))
    }

    @Test func oneShardAloneIsNoWorkerConcentration() throws {
        var fixture = SnapshotFixture()
        let message = SnapshotFixture.error("OSError: read-only file system")
        fixture.shard(
            "s1",
            worker: "w2",
            files: ["tests/a.py"],
            tests: (0..<5).map { ("tests/a.py", "t\($0)", .failed, message) }
        )
        let cluster = try #require(fixture.report.clusters.first)
        #expect(cluster.suspectWorker == nil)
        #expect(cluster.category == .unknown)
    }

    @Test func aMassFailureIsInfrastructure() throws {
        var fixture = SnapshotFixture()
        let message = SnapshotFixture.error("OSError: disk quota exceeded")
        let files = (0..<12).map { "tests/t\($0).py" }
        fixture.shard("s1", files: files, tests: files.map { ($0, "t", .failed, message) })
        let cluster = try #require(fixture.report.clusters.first)
        #expect(cluster.categorySource == "heuristic:mass_failure")
    }

    @Test func badRulesAreSkippedWithAWarning() {
        var fixture = SnapshotFixture()
        fixture.configuration.triageRules = [
            TriageRule(id: "broken", category: .product, message: "(unclosed"),
            TriageRule(id: "empty", category: .product),
        ]
        fixture.configuration.masks = ["(a)(b)"]
        fixture.configuration.areas = [AreaDefinition(id: "x", globs: ["/abs/**"])]
        fixture.shard("s1", files: ["tests/a.py"], tests: [("tests/a.py", "t", .passed, nil)])
        let warnings = fixture.report.appendix.warnings
        #expect(warnings.count == 4)
        #expect(warnings.contains { $0.contains("\"broken\"") && $0.contains("(unclosed") })
        #expect(warnings.contains { $0.contains("\"empty\"") && $0.contains("no condition") })
        #expect(warnings.contains { $0.contains("(a)(b)") })
        #expect(warnings.contains { $0.contains("area \"x\"") })
        #expect(fixture.configuration.validate().count == 3)  // validate() does not judge rule conditions
    }
}
