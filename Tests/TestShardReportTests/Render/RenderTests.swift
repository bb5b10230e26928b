import Foundation
import TestShardModel
import Testing

@testable import TestShardReport

/// The three forms: JSON is deterministic and re-renders byte for byte; Markdown fits its budget;
/// HTML is self-contained, escaped, and has one timeline bar per shard attempt.
@Suite struct RenderTests {
    /// A 5000-file run with many failures (shared by the tests below; building it once is enough).
    static let large: GardenerReport = ReportBuilder.build(SyntheticRun.snapshot(files: 5_000, testsPerFile: 10))

    @Test func buildingTwiceGivesIdenticalJSON() throws {
        let snapshot = SeedFailuresTests.fixture.snapshot
        let first = try ReportJSON.encode(ReportBuilder.build(snapshot))
        let second = try ReportJSON.encode(ReportBuilder.build(snapshot))
        #expect(first == second)
        let text = try #require(String(data: first, encoding: .utf8))
        #expect(text.contains("\"schema\" : \"testshard-report/1\""))
    }

    @Test func aStoredReportReRendersByteForByte() throws {
        let report = Self.large
        let json = try ReportJSON.encode(report)
        let decoded = try ReportJSON.decode(json)
        #expect(decoded == report)
        #expect(try ReportJSON.encode(decoded) == json)
        #expect(MarkdownReportRenderer.render(decoded) == MarkdownReportRenderer.render(report))
        #expect(HTMLReportRenderer.render(decoded) == HTMLReportRenderer.render(report))
    }

    @Test func anUnknownSchemaIsRefused() throws {
        var report = SeedFailuresTests.fixture.report
        report.schema = "testshard-report/99"
        let json = try ReportJSON.encode(report)
        #expect(throws: ReportInputError.self) { try ReportJSON.decode(json) }
        #expect(throws: ReportInputError.self) { try ReportJSON.decodeDigest(json) }
    }

    /// The next run reads only the digest of a stored report: the same counts, clusters and files,
    /// in the report's order, as the whole report has.
    @Test func theDigestOfAStoredReportIsWhatTheReportSays() throws {
        let report = Self.large
        let digest = try ReportJSON.decodeDigest(try ReportJSON.encode(report))
        #expect(digest == ReportDigest(report))
        #expect(digest.fileCounts == report.summary.files)
        #expect(digest.clusterIds.count == report.clusters.count && digest.clusterIds.count > 100)
        #expect(digest.files.count == 5_000)
        #expect(digest.files == report.files.map(\.path))
        let schemaOnly = Data(#"{"schema": "testshard-report/1"}"#.utf8)
        #expect(throws: (any Error).self) { try ReportJSON.decodeDigest(schemaOnly) }
    }

    @Test func markdownOfALargeRunStaysUnderSixtyKilobytes() {
        let report = Self.large
        #expect(report.files.count == 5_000)
        #expect(report.clusters.count > 100)
        #expect(report.coverage.notRun.count > 10)
        let markdown = MarkdownReportRenderer.render(report)
        #expect(markdown.utf8.count < 60_000)
        #expect(markdown.contains("## 1. Executive summary"))
        #expect(markdown.contains("## 8. Next actions (ranked)"))
        #expect(markdown.contains("## Appendix"))
        #expect(markdown.contains("more clusters in report.html / report.json"))
    }

    @Test func markdownTightensItsCutsForASmallBudget() {
        let markdown = MarkdownReportRenderer.render(Self.large, budgetBytes: 20_000)
        #expect(markdown.utf8.count <= 20_000)
        #expect(markdown.contains("## 7. Coverage gap analysis"))
    }

    @Test func htmlHasOneBarPerShardAttempt() {
        let report = Self.large
        let html = HTMLReportRenderer.render(report)
        #expect(html.contains("<svg class=\"timeline\""))
        #expect(html.components(separatedBy: "<rect class=\"bar ").count - 1 == report.shards.count)
        #expect(html.contains("class=\"bar timeout\""))
        #expect(html.contains("class=\"lost-line\""))
        #expect(!html.contains("http://") || !html.contains("<script src"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src=\"http"))
    }

    @Test func htmlEscapesEverything() {
        var fixture = SnapshotFixture()
        let file = "tests/<script>alert(1)</script>.py"
        fixture.shard(
            "s1",
            files: [file],
            tests: [
                (file, "t", .failed, SnapshotFixture.error("ValueError: <img src=x onerror=alert(1)> & \"quoted\""))
            ]
        )
        let html = HTMLReportRenderer.render(fixture.report)
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;"))
        #expect(html.contains("tests/&lt;script&gt;alert(1)&lt;/script&gt;.py"))
    }

    @Test func timelineLanesFollowWorkerSlots() {
        let html = HTMLReportRenderer.render(SeedFailuresTests.fixture.report)
        #expect(html.contains(">w1 · 0</text>"))
        #expect(html.contains(">w1 · 1</text>"))
        #expect(html.contains(">w2 · 1</text>"))
        #expect(html.components(separatedBy: "<rect class=\"bar ").count - 1 == 4)
        #expect(html.contains("data-key=\"s4#1\""))
    }

    @Test func markdownEscapesTableBreakingText() {
        #expect(Markdown.text("a|b <c> *d* snake_case _x_") == #"a\|b \<c> \*d\* snake_case \_x\_"#)
        #expect(Markdown.code("has `tick`") == "`` has `tick` ``")
        #expect(Markdown.cellCode("x | y") == #"`x \| y`"#)
        #expect(Markdown.prose("run `docker info` now") == "run `docker info` now")
    }

    @Test func syntheticRunsAreDeterministic() throws {
        let a = SyntheticRun.snapshot(files: 200, testsPerFile: 3, seed: 7)
        let b = SyntheticRun.snapshot(files: 200, testsPerFile: 3, seed: 7)
        #expect(a == b)
        #expect(SyntheticRun.snapshot(files: 200, testsPerFile: 3, seed: 8) != a)
    }
}

/// Bad numbers from a runner or a config slip must not cost the run its report.
@Suite struct RobustnessTests {
    @Test func nonsenseDurationsAndThresholdsStillGiveAReport() throws {
        var fixture = SnapshotFixture()
        fixture.configuration.thresholds.halfLifeRuns = 0
        fixture.configuration.thresholds.priorA = 0
        fixture.configuration.thresholds.window = 0
        fixture.shard(
            "s1",
            files: ["tests/a.py"],
            tests: [("tests/a.py", "t", .failed, SnapshotFixture.error("KeyError: 'x'"))]
        )
        fixture.attempts[0].result.duration = .nan
        let report = fixture.report
        #expect(report.file("tests/a.py")?.durationSeconds == 0)
        let score = try #require(report.test("tests/a.py::t")?.flakiness)
        #expect(score.theta.isFinite && score.ci90High.isFinite)
        let json = try ReportJSON.encode(report)
        #expect(try ReportJSON.decode(json) == report)
    }
}
