import TestShardModel
import Testing

@testable import TestShardMetrics

/// A mid-run snapshot with every field set to a different value, so a value rendered into the
/// wrong series shows.
func midRunSnapshot(runID: String = "run-42") -> MetricsSnapshot {
    var snapshot = MetricsSnapshot(runID: runID, phase: .running)
    snapshot.itemsTotal = 120
    snapshot.itemsFinal = 70
    snapshot.itemsFailed = 3
    snapshot.itemsFlaky = 2
    snapshot.queuedItems = 41
    snapshot.queuedEstimatedSeconds = 812.5
    snapshot.runningLeases = 9
    snapshot.workersConnected = 4
    snapshot.totalSlots = 16
    snapshot.freeSlots = 7
    snapshot.etaSeconds = 95.25
    snapshot.requeues = 5
    snapshot.discardedMessages = 6
    snapshot.retriesScheduled = 8
    snapshot.authFailures = 11
    snapshot.workersJoined = 12
    snapshot.workersLost = 13
    snapshot.testsRecorded = 4321
    snapshot.testsFailed = 17
    snapshot.runsStarted = 1
    snapshot.runsFinished = 0
    for seconds in [0.5, 3, 3, 45, 5000] { snapshot.shardDurations.record(seconds: seconds) }
    return snapshot
}

extension [ExpositionParser.Family] {
    /// The single sample of `name` (or of `name` with `label=value`).
    func value(_ name: String, _ label: (String, String)? = nil) -> Double? {
        let samples = flatMap(\.samples).filter { sample in
            sample.name == name && (label.map { sample.label($0.0) == $0.1 } ?? true)
        }
        return samples.count == 1 ? samples[0].value : nil
    }
}

@Suite struct PrometheusTextTests {
    @Test func rendersEveryFamilyInAFixedOrderWithItsType() throws {
        let families = try ExpositionParser.parse(PrometheusText.render(midRunSnapshot()))
        let expected: [(String, String)] = [
            ("testshard_build_info", "gauge"),
            ("testshard_runs_started_total", "counter"),
            ("testshard_runs_finished_total", "counter"),
            ("testshard_run_phase", "gauge"),
            ("testshard_items", "gauge"),
            ("testshard_items_final", "gauge"),
            ("testshard_items_failed", "gauge"),
            ("testshard_items_flaky", "gauge"),
            ("testshard_queue_items", "gauge"),
            ("testshard_queue_estimated_seconds", "gauge"),
            ("testshard_running_leases", "gauge"),
            ("testshard_workers_connected", "gauge"),
            ("testshard_slots", "gauge"),
            ("testshard_slots_free", "gauge"),
            ("testshard_eta_seconds", "gauge"),
            ("testshard_requeues_total", "counter"),
            ("testshard_discarded_messages_total", "counter"),
            ("testshard_retries_scheduled_total", "counter"),
            ("testshard_auth_failures_total", "counter"),
            ("testshard_workers_joined_total", "counter"),
            ("testshard_workers_lost_total", "counter"),
            ("testshard_tests_recorded_total", "counter"),
            ("testshard_tests_failed_total", "counter"),
            ("testshard_shard_duration_seconds", "histogram"),
        ]
        #expect(families.map(\.name) == expected.map(\.0))
        #expect(families.map(\.type) == expected.map(\.1))
        #expect(families.allSatisfy { !$0.help.isEmpty })
    }

    @Test func putsEachSnapshotValueInItsOwnSeries() throws {
        let families = try ExpositionParser.parse(PrometheusText.render(midRunSnapshot()))
        let expected: [(String, Double)] = [
            ("testshard_runs_started_total", 1), ("testshard_runs_finished_total", 0),
            ("testshard_items", 120), ("testshard_items_final", 70), ("testshard_items_failed", 3),
            ("testshard_items_flaky", 2), ("testshard_queue_items", 41),
            ("testshard_queue_estimated_seconds", 812.5), ("testshard_running_leases", 9),
            ("testshard_workers_connected", 4), ("testshard_slots", 16), ("testshard_slots_free", 7),
            ("testshard_eta_seconds", 95.25), ("testshard_requeues_total", 5),
            ("testshard_discarded_messages_total", 6), ("testshard_retries_scheduled_total", 8),
            ("testshard_auth_failures_total", 11), ("testshard_workers_joined_total", 12),
            ("testshard_workers_lost_total", 13), ("testshard_tests_recorded_total", 4321),
            ("testshard_tests_failed_total", 17),
        ]
        for (name, value) in expected {
            #expect(families.value(name) == value, "\(name)")
        }
        #expect(families.value("testshard_build_info", ("version", TestShardVersion.current)) == 1)
    }

    @Test func labelsPerRunSeriesWithTheRunIDAndProcessSeriesWithout() throws {
        let families = try ExpositionParser.parse(PrometheusText.render(midRunSnapshot(runID: "nightly-7")))
        for sample in families.flatMap(\.samples) {
            if sample.name.hasPrefix("testshard_runs_") || sample.name == "testshard_build_info" {
                #expect(sample.label("run_id") == nil, "\(sample.name)")
            } else {
                #expect(sample.labels.first == .init(name: "run_id", value: "nightly-7"), "\(sample.name)")
            }
        }
    }

    @Test func marksExactlyTheCurrentPhase() throws {
        for phase in MetricsSnapshot.Phase.allCases {
            let families = try ExpositionParser.parse(PrometheusText.render(MetricsSnapshot(runID: "r", phase: phase)))
            let series = families.first { $0.name == "testshard_run_phase" }!.samples
            #expect(series.map { $0.label("phase") } == MetricsSnapshot.Phase.allCases.map(\.rawValue))
            #expect(series.filter { $0.value == 1 }.map { $0.label("phase") } == [phase.rawValue])
            #expect(series.allSatisfy { $0.value == 0 || $0.value == 1 })
        }
    }

    @Test func escapesQuotesBackslashesAndNewlinesInTheRunID() throws {
        let runID = "a\"b\\c\nd\r\ne"
        let text = PrometheusText.render(MetricsSnapshot(runID: runID, phase: .running))
        #expect(text.contains(#"testshard_items{run_id="a\"b\\c\nd"# + "\r" + #"\ne"} 0"#))
        let families = try ExpositionParser.parse(text)
        #expect(families.flatMap(\.samples).compactMap { $0.label("run_id") }.allSatisfy { $0 == runID })
    }

    @Test func writesCumulativeBucketsEndingInInfEqualToTheCount() {
        let text = PrometheusText.render(midRunSnapshot(runID: "r"))
        let histogramLines = text.split(separator: "\n").filter { $0.hasPrefix("testshard_shard_duration_seconds") }
        // Recorded: 0.5, 3, 3, 45, 5000.
        #expect(
            histogramLines == [
                #"testshard_shard_duration_seconds_bucket{run_id="r",le="1"} 1"#,
                #"testshard_shard_duration_seconds_bucket{run_id="r",le="5"} 3"#,
                #"testshard_shard_duration_seconds_bucket{run_id="r",le="10"} 3"#,
                #"testshard_shard_duration_seconds_bucket{run_id="r",le="30"} 3"#,
                #"testshard_shard_duration_seconds_bucket{run_id="r",le="60"} 4"#,
                #"testshard_shard_duration_seconds_bucket{run_id="r",le="120"} 4"#,
                #"testshard_shard_duration_seconds_bucket{run_id="r",le="300"} 4"#,
                #"testshard_shard_duration_seconds_bucket{run_id="r",le="600"} 4"#,
                #"testshard_shard_duration_seconds_bucket{run_id="r",le="1800"} 4"#,
                #"testshard_shard_duration_seconds_bucket{run_id="r",le="3600"} 4"#,
                #"testshard_shard_duration_seconds_bucket{run_id="r",le="+Inf"} 5"#,
                #"testshard_shard_duration_seconds_sum{run_id="r"} 5051.5"#,
                #"testshard_shard_duration_seconds_count{run_id="r"} 5"#,
            ]
        )
    }

    @Test func startsWithHelpAndTypeLinesAndEndsWithANewline() {
        let text = PrometheusText.render(MetricsSnapshot(runID: "r"))
        #expect(
            text.hasPrefix(
                """
                # HELP testshard_build_info TestShard version of this coordinator; always 1.
                # TYPE testshard_build_info gauge
                testshard_build_info{version="\(TestShardVersion.current)"} 1
                # HELP testshard_runs_started_total Runs this coordinator started.
                # TYPE testshard_runs_started_total counter
                testshard_runs_started_total 0

                """
            )
        )
        #expect(text.hasSuffix("} 0\n"))
    }

    @Test func leavesTheETAWithoutASampleWhileItIsUnknown() throws {
        var snapshot = midRunSnapshot()
        snapshot.etaSeconds = nil
        let families = try ExpositionParser.parse(PrometheusText.render(snapshot))
        let eta = try #require(families.first { $0.name == "testshard_eta_seconds" })
        #expect(eta.samples.isEmpty)
    }

    @Test func rendersAnEmptyHistogramAsZeroes() throws {
        let families = try ExpositionParser.parse(PrometheusText.render(MetricsSnapshot(runID: "r")))
        let histogram = try #require(families.first { $0.name == "testshard_shard_duration_seconds" })
        #expect(histogram.samples.count == DurationHistogram.shardDurationBounds.count + 3)
        #expect(histogram.samples.allSatisfy { $0.value == 0 })
    }

    @Test(arguments: [
        (300.0, "300"), (0.25, "0.25"), (-2.0, "-2"), (1e-7, "1e-07"), (812.5, "812.5"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"), (1e300, "1e+300"),
    ])
    func formatsNumbersTheWayPrometheusParsesThem(value: Double, text: String) {
        #expect(PrometheusTextWriter.format(value) == text)
        let parsed = ExpositionParser.parseValue(text)
        #expect(parsed == value || (value.isNaN && parsed?.isNaN == true))
    }

    @Test func escapesHelpTextBackslashesAndNewlinesOnly() {
        #expect(PrometheusTextWriter.escapeHelp("a\\b\nc\"d") == #"a\\b\nc"d"#)
    }
}
