import Testing

@testable import TestShardMetrics

@Suite struct DurationHistogramTests {
    @Test func countsADurationOnABoundIntoThatBoundsBucket() {
        var histogram = DurationHistogram(upperBounds: [1, 5])
        histogram.record(seconds: 1)
        histogram.record(seconds: 5)
        histogram.record(seconds: 5.5)
        #expect(histogram.counts == [1, 1, 1])
        #expect(histogram.cumulativeCounts == [1, 2, 3])
        #expect(histogram.count == 3)
        #expect(histogram.sum == 11.5)
    }

    @Test func cleansBoundsIntoAStrictlyAscendingFiniteList() {
        let histogram = DurationHistogram(upperBounds: [30, 1, .nan, 5, 1, .infinity])
        #expect(histogram.upperBounds == [1, 5, 30])
        #expect(histogram.counts == [0, 0, 0, 0])
    }

    @Test func countsANegativeDurationAsZeroAndIgnoresNonFiniteOnes() {
        var histogram = DurationHistogram(upperBounds: [1])
        histogram.record(seconds: -3)
        histogram.record(seconds: .nan)
        histogram.record(seconds: .infinity)
        #expect(histogram.counts == [1, 0])
        #expect(histogram.sum == 0)
        #expect(histogram.count == 1)
    }

    @Test func keepsItsSizeHoweverManyDurationsItRecords() {
        var histogram = DurationHistogram()
        for index in 0..<100_000 { histogram.record(seconds: Double(index % 4000)) }
        #expect(histogram.counts.count == DurationHistogram.shardDurationBounds.count + 1)
        #expect(histogram.count == 100_000)
        #expect(histogram.cumulativeCounts.last == 100_000)
    }

    @Test func withoutBoundsStillRendersAValidHistogram() throws {
        var snapshot = MetricsSnapshot(runID: "r")
        snapshot.shardDurations = DurationHistogram(upperBounds: [])
        snapshot.shardDurations.record(seconds: 2)
        #expect(snapshot.shardDurations.counts == [1])
        let families = try ExpositionParser.parse(PrometheusText.render(snapshot))
        #expect(families.value("testshard_shard_duration_seconds_bucket", ("le", "+Inf")) == 1)
        #expect(families.value("testshard_shard_duration_seconds_count") == 1)
    }
}
