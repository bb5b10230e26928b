import TestShardModel
import Testing

@testable import TestShardReport

/// Areas (COVERED / DEGRADED / BLIND), categories, quarantine.
@Suite struct AreasAndQuarantineTests {
    static func fixture() -> SnapshotFixture {
        var fixture = SnapshotFixture()
        fixture.configuration.areas = [
            AreaDefinition(id: "payments", criticality: .critical, owner: "team-pay", globs: ["tests/payments/**"]),
            AreaDefinition(id: "chat", criticality: .high, globs: ["tests/chat/**"]),
            AreaDefinition(id: "search", globs: ["tests/search/**"]),
            AreaDefinition(id: "admin", globs: ["tests/admin/**"]),
        ]
        fixture.configuration.categories = [
            CategoryDefinition(id: "unit", globs: ["tests/*/unit/**"]),
            CategoryDefinition(id: "e2e", globs: ["tests/*/e2e/**"]),
        ]
        let docker = SnapshotFixture.setupError("RuntimeError: Failed to start Docker services")
        fixture.shard(
            "s1",
            files: [
                "tests/payments/e2e/test_pay.py", "tests/payments/e2e/test_refund.py",
                "tests/payments/unit/test_sum.py",
            ],
            tests: [
                ("tests/payments/e2e/test_pay.py", "t", .error, docker),
                ("tests/payments/e2e/test_refund.py", "t", .error, docker),
                ("tests/payments/unit/test_sum.py", "t", .passed, nil),
            ]
        )
        fixture.shard(
            "s2",
            worker: "w2",
            files: ["tests/chat/unit/test_msg.py", "tests/chat/unit/test_ws.py"],
            tests: [
                (
                    "tests/chat/unit/test_msg.py", "t", .failed,
                    SnapshotFixture.assertion("assert 'a' == 'b'", file: "tests/chat/unit/test_msg.py", function: "t")
                ),
                ("tests/chat/unit/test_ws.py", "t", .passed, nil),
            ]
        )
        fixture.shard(
            "s3",
            files: ["tests/search/unit/test_q.py"],
            tests: [("tests/search/unit/test_q.py", "t", .failed, SnapshotFixture.error("AssertionError: flaky index"))]
        )
        fixture.shard(
            "s3-r",
            worker: "w2",
            files: ["tests/search/unit/test_q.py"],
            tests: [("tests/search/unit/test_q.py", "t", .passed, nil)],
            retryIndex: 1
        )
        return fixture
    }

    @Test func areaStatusFollowsWhatEffectivelyRan() throws {
        let report = Self.fixture().report
        func area(_ id: String) -> AreaReport? { report.areas.first { $0.id == id } }
        let payments = try #require(area("payments"))
        #expect(payments.status == .blind)  // 2 of 3 files only hit Docker
        #expect(payments.expected == 3)
        #expect(payments.failed == 2)
        #expect(payments.notEffectivelyTested == 2)
        #expect(try #require(area("chat")).status == .degraded)
        #expect(try #require(area("search")).status == .covered)  // only a flaky failure
        #expect(try #require(area("search")).flaky == 1)
        #expect(try #require(area("admin")).status == .notSelected)
        #expect(report.verdict.line.contains("1 critical area(s) blind"))
    }

    @Test func criticalityRaisesSeverity() throws {
        let report = Self.fixture().report
        let docker = try #require(report.cluster(containing: "Docker"))
        #expect(docker.areas == ["payments"])
        #expect(docker.severity == .critical)
        let chat = try #require(report.cluster(containing: "'a' == 'b'"))
        #expect(chat.severity == .high)  // NEW product failure in a high area
        #expect(docker.priority > chat.priority)
        #expect(report.areas.first { $0.id == "payments" }?.topCluster == docker.id)
    }

    @Test func categoriesCountTheirFiles() throws {
        let report = Self.fixture().report
        let unit = try #require(report.categories.first { $0.id == "unit" })
        #expect(unit.selected)
        #expect(unit.counts == FileCounts(files: 4, passed: 2, failed: 1, flaky: 1))
        let e2e = try #require(report.categories.first { $0.id == "e2e" })
        #expect(e2e.counts.failed == 2)
    }

    @Test func quarantinedFailuresAreReportedButDoNotFailTheRun() throws {
        var fixture = SnapshotFixture()
        fixture.configuration.reportDate = "2025-06-15"
        fixture.configuration.quarantine = [
            QuarantineEntry(id: "tests/q.py::test_known", reason: "JIRA-12 flaky socket", expires: "2025-07-01"),
            QuarantineEntry(id: "tests/old.py", reason: "JIRA-3", expires: "2025-06-14"),
        ]
        fixture.shard(
            "s1",
            files: ["tests/q.py", "tests/old.py", "tests/ok.py"],
            tests: [
                ("tests/q.py", "test_known", .failed, SnapshotFixture.error("ConnectionResetError: peer closed")),
                ("tests/q.py", "test_other", .passed, nil),
                ("tests/ok.py", "t", .passed, nil),
                ("tests/old.py", "t", .passed, nil),
            ]
        )
        let report = fixture.report
        #expect(report.file("tests/q.py")?.state == .quarantinedFailed)
        #expect(report.verdict.status == .green)
        #expect(report.verdict.exitStatus == 0)
        #expect(report.summary.tests.quarantinedFailed == 1)
        #expect(report.summary.tests.failed == 0)
        let test = try #require(report.test("tests/q.py::test_known"))
        #expect(test.quarantined)
        #expect(report.coverage.hiddenByQuarantine == ["tests/q.py::test_known"])
        let cluster = try #require(report.clusters.first)
        #expect(cluster.quarantinedOnly)
        #expect(cluster.severity == .low)

        #expect(report.quarantine.active.map(\.id) == ["tests/q.py::test_known"])
        #expect(report.quarantine.active.first?.hiddenFailures == 1)
        #expect(report.quarantine.expired.map(\.id) == ["tests/old.py"])
        #expect(report.nextActions.contains { $0.title.contains("tests/old.py expired on 2025-06-14") })
        let markdown = MarkdownReportRenderer.render(report)
        #expect(
            markdown.contains("**Expired quarantine entries** (no longer applied): `tests/old.py` (expired 2025-06-14)")
        )
    }

    @Test func anExpiredEntryNoLongerHidesAFailure() {
        var fixture = SnapshotFixture()
        fixture.configuration.reportDate = "2025-06-15"
        fixture.configuration.quarantine = [QuarantineEntry(id: "tests/q.py", reason: "old", expires: "2025-01-01")]
        fixture.shard(
            "s1",
            files: ["tests/q.py"],
            tests: [("tests/q.py", "t", .failed, SnapshotFixture.error("KeyError: 'x'"))]
        )
        let report = fixture.report
        #expect(report.file("tests/q.py")?.state == .failed)
        #expect(report.verdict.exitStatus == 1)
    }

    @Test func aClassEntryCoversItsTests() {
        var fixture = SnapshotFixture()
        fixture.configuration.quarantine = [QuarantineEntry(id: "tests/q.py::TestSocket", reason: "races")]
        fixture.shard(
            "s1",
            files: ["tests/q.py"],
            tests: [("tests/q.py", "TestSocket::test_a", .failed, SnapshotFixture.error("KeyError: 'x'"))]
        )
        #expect(fixture.report.file("tests/q.py")?.state == .quarantinedFailed)
    }
}
