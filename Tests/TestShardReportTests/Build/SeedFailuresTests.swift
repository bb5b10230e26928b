import Foundation
import TestShardModel
import Testing

@testable import TestShardReport

/// The seed's failures: Docker services that will not start, a compose service that does not
/// exist, config drift, a hanging file, and ordinary assertion failures.
@Suite struct SeedFailuresTests {
    static let docker = "tests/e2e/test_docker_stack.py"
    static let compose = "tests/e2e/test_backend_compose.py"
    static let websocket = "tests/mission_critical/test_websocket_real.py"
    static let hang = "tests/integration/test_hangs.py"
    static let math = "tests/unit/test_math.py"
    static let strings = "tests/unit/test_strings.py"
    static let fine = "tests/unit/test_fine.py"
    static let fine2 = "tests/unit/test_fine_too.py"

    static var fixture: SnapshotFixture {
        var fixture = SnapshotFixture()
        fixture.configuration.areas = [
            AreaDefinition(
                id: "chat",
                criticality: .critical,
                globs: ["tests/mission_critical/**", "tests/**/websocket/**"]
            ),
            AreaDefinition(id: "platform", criticality: .high, globs: ["tests/e2e/**"]),
            AreaDefinition(id: "core", globs: ["tests/unit/**"]),
        ]
        let dockerError = SnapshotFixture.setupError("RuntimeError: Failed to start Docker services")
        fixture.shard(
            "s1",
            worker: "w1",
            files: [docker, compose],
            tests: [
                (docker, "test_start", .error, dockerError),
                (docker, "test_stop", .error, dockerError),
                (compose, "test_backend", .error, SnapshotFixture.setupError("no such service: backend")),
            ]
        )
        fixture.shard(
            "s2",
            worker: "w2",
            files: [websocket, math, strings],
            tests: [
                (
                    websocket, "test_connect", .failed,
                    SnapshotFixture.error(
                        "AttributeError: 'RealWebSocketTestConfig' object has no attribute 'docker_startup_timeout'"
                    )
                ),
                (websocket, "test_ping", .passed, nil),
                (
                    math, "test_sum", .failed,
                    SnapshotFixture.assertion("assert 3 == 5", file: math, function: "test_sum")
                ),
                (math, "test_product", .passed, nil),
                (
                    strings, "test_upper", .failed,
                    SnapshotFixture.assertion("assert 'ABC' == 'abc'", file: strings, function: "test_upper")
                ),
            ]
        )
        fixture.shard(
            "s3",
            worker: "w1",
            slot: 1,
            files: [fine, fine2],
            tests: [(fine, "test_ok", .passed, nil), (fine2, "test_ok", .passed, nil)]
        )
        fixture.shard(
            "s4",
            worker: "w2",
            slot: 1,
            files: [hang],
            tests: [],
            exit: ShardExit(kind: .timeout, signal: 9, reason: "killed after 120s"),
            duration: 120,
            logTail: [
                "tests/integration/test_hangs.py::test_waits_for_backend",
                "[gw0] 02:14:05 INFO - Waiting for service backend… (attempt 3)",
                "",
            ]
        )
        for file in [docker, compose, websocket, math, strings] { fixture.item(file, .failed, shard: "s1") }
        fixture.item(fine, .passed)
        fixture.item(fine2, .passed)
        fixture.item(hang, .timeout, shard: "s4")
        return fixture
    }

    @Test func eachSeedFailureIsItsOwnClusterWithASensibleCategory() throws {
        let report = Self.fixture.report
        let docker = try #require(report.cluster(containing: "Failed to start Docker services"))
        let compose = try #require(report.cluster(containing: "no such service: backend"))
        let drift = try #require(report.cluster(containing: "docker_startup_timeout"))
        let hang = try #require(report.clusters.first { $0.exitKind == .timeout })
        let sum = try #require(report.cluster(containing: "assert <N> == <N>"))
        let upper = try #require(report.cluster(containing: "assert 'ABC' == 'abc'"))
        #expect(Set([docker.id, compose.id, drift.id, hang.id, sum.id, upper.id]).count == 6)
        #expect(report.clusters.count == 6)

        #expect(docker.category == .infrastructure)
        #expect(docker.categorySource == "builtin:docker.start")
        #expect(compose.category == .infrastructure)
        #expect(compose.categorySource == "builtin:compose.service_missing")
        #expect(drift.category == .testInfrastructure)
        #expect(drift.categorySource == "builtin:config_drift")
        #expect(hang.category == .environment)
        #expect(hang.categorySource == "builtin:timeout.shard")
        #expect(sum.category == .product)
        #expect(upper.category == .product)
    }

    @Test func everyAffectedFileIsNamed() throws {
        let report = Self.fixture.report
        #expect(try #require(report.cluster(containing: "Docker services")).files == [Self.docker])
        #expect(try #require(report.cluster(containing: "Docker services")).tests.count == 2)
        #expect(try #require(report.cluster(containing: "no such service")).files == [Self.compose])
        #expect(try #require(report.cluster(containing: "docker_startup_timeout")).files == [Self.websocket])
        #expect(try #require(report.clusters.first { $0.exitKind == .timeout }).files == [Self.hang])
        #expect(
            try #require(report.cluster(containing: "assert <N> == <N>")).normalized
                == "assert <N> == <N> @ tests/unit/test_math.py::test_sum"
        )
    }

    @Test func theHangIsATimeoutWithItsLastOutputLines() throws {
        let report = Self.fixture.report
        let file = try #require(report.file(Self.hang))
        #expect(file.state == .notRun)
        #expect(file.notRunReason == .timeout)
        #expect(file.detail?.contains("Waiting for service backend") == true)
        let shard = try #require(report.shards.first { $0.id == "s4" })
        #expect(shard.exitLabel == "TIMEOUT (>2m00s)")
        #expect(shard.firstSignal?.contains("Waiting for service backend") == true)
        let cluster = try #require(report.clusters.first { $0.exitKind == .timeout })
        #expect(cluster.normalized.hasPrefix("timeout: Waiting for service backend"))
        #expect(cluster.lastLogLines.last?.contains("Waiting for service backend") == true)
        #expect(cluster.nextAction.contains("Waiting for service backend"))
        #expect(cluster.blocksCoverage)

        let markdown = MarkdownReportRenderer.render(report)
        #expect(markdown.contains("TIMEOUT (>2m00s)"))
        #expect(markdown.contains("Waiting for service backend… (attempt 3)"))
        #expect(markdown.contains("| `tests/integration/test_hangs.py` | TIMEOUT |"))
    }

    @Test func nextActionsAreRankedWithReproCommands() throws {
        let report = Self.fixture.report
        #expect(report.nextActions.count >= 6)
        #expect(report.nextActions.map(\.rank) == Array(1...report.nextActions.count))
        let scores = report.nextActions.map(\.score)
        #expect(scores == scores.sorted(by: >))
        // The hang costs coverage in no critical area, config drift hits the critical chat area.
        let drift = try #require(report.cluster(containing: "docker_startup_timeout"))
        #expect(drift.areas == ["chat"])
        #expect(drift.severity == .critical)
        let math = try #require(report.cluster(containing: "assert <N> == <N>"))
        let repro = try #require(math.repro)
        #expect(
            repro.argv == [
                "python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=/tmp/ts/s2.xml", Self.math,
            ]
        )
        #expect(repro.command.hasSuffix("--junitxml=/tmp/ts/s2.xml tests/unit/test_math.py"))
        let first = try #require(report.nextActions.first)
        #expect(first.clusterId != nil)
    }

    /// A large pytest shard's command names a folder and the worker's items list, not the files;
    /// the repro still runs just the failing file, with nothing only the worker has.
    @Test func reproOfAShardHandedOverAsAFolderNamesTheFileAlone() throws {
        var fixture = SnapshotFixture()
        fixture.shard(
            "s1",
            files: [Self.math, Self.strings],
            tests: [
                (
                    Self.math, "test_sum", .failed,
                    SnapshotFixture.assertion("assert 3 == 5", file: Self.math, function: "test_sum")
                ),
                (Self.strings, "test_upper", .passed, nil),
            ]
        )
        fixture.shards[0].argv =
            Array(SnapshotFixture.argv("s1", [])) + ["--testshard-items=/tmp/ts/items.txt", "tests/unit"]
        let repro = try #require(fixture.report.cluster(containing: "assert <N> == <N>")?.repro)
        #expect(repro.argv == SnapshotFixture.argv("s1", [Self.math]))
        #expect(repro.note == nil)
    }

    @Test func verdictIsRedAndExitStatusSaysNotEveryFileHasAResult() {
        let report = Self.fixture.report
        #expect(report.verdict.status == .red)
        #expect(report.verdict.exitStatus == 3)
        #expect(report.verdict.line.hasPrefix("RED — 5 file(s) failed"))
        #expect(report.summary.files == FileCounts(files: 8, passed: 2, failed: 5, notRun: 1))
    }

    @Test func dockerClusterLeavesItsFileNotEffectivelyTested() throws {
        let report = Self.fixture.report
        #expect(try #require(report.file(Self.docker)).effectivelyTested == false)
        #expect(try #require(report.file(Self.math)).effectivelyTested)
        #expect(report.coverage.notEffectivelyTested == [Self.compose, Self.docker])
        let platform = try #require(report.areas.first { $0.id == "platform" })
        #expect(platform.status == .blind)
        let core = try #require(report.areas.first { $0.id == "core" })
        #expect(core.status == .degraded)
        #expect(core.expected == 4)
        #expect(core.failed == 2)
    }
}
