/// Durations counted into fixed buckets as they are recorded, so memory is one counter per bucket
/// however many shards a run has. Rendered as a Prometheus histogram (`_bucket{le=…}`, `_sum`,
/// `_count`).
///
/// ```
///   upperBounds:   1      5      10    …   3600
///   counts:      [ ≤1 | (1,5] | (5,10] | … | (1800,3600] | >3600 ]   (not cumulative)
/// ```
public struct DurationHistogram: Hashable, Sendable {
    /// Bucket bounds for shard durations, in seconds. Shards are batched to about 300 s at most;
    /// isolated items and timeouts run longer, hence the tail up to an hour.
    public static let shardDurationBounds: [Double] = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600]

    /// Upper bounds of the finite buckets in seconds, strictly ascending. A last `+Inf` bucket is
    /// implied.
    public let upperBounds: [Double]
    /// Recorded durations per bucket, not cumulative: `counts[i]` holds the durations in
    /// `(upperBounds[i-1], upperBounds[i]]`, and the last element those above every bound.
    /// Always `upperBounds.count + 1` elements.
    public private(set) var counts: [Int]
    /// The sum of the recorded durations in seconds.
    public private(set) var sum: Double = 0
    /// How many durations were recorded.
    public private(set) var count: Int = 0

    /// An empty histogram. `upperBounds` is cleaned rather than trusted: non-finite values and
    /// duplicates are dropped and the rest sorted, so any input gives a valid Prometheus histogram.
    public init(upperBounds: [Double] = DurationHistogram.shardDurationBounds) {
        let bounds = Array(Set(upperBounds.filter(\.isFinite))).sorted()
        self.upperBounds = bounds
        self.counts = Array(repeating: 0, count: bounds.count + 1)
    }

    /// Adds one duration. A negative duration (a clock step between start and end) counts as 0;
    /// NaN and infinities are ignored, since one of them would make `sum` useless for good.
    public mutating func record(seconds: Double) {
        guard seconds.isFinite else { return }
        let value = max(0, seconds)
        let bucket = upperBounds.firstIndex { value <= $0 } ?? upperBounds.count
        counts[bucket] += 1
        sum += value
        count += 1
    }

    /// Recorded durations at or below each bound, then the total for `+Inf`: what Prometheus'
    /// `_bucket` series carry. `upperBounds.count + 1` elements, non-decreasing.
    public var cumulativeCounts: [Int] {
        var running = 0
        return counts.map { count in
            running += count
            return running
        }
    }
}
