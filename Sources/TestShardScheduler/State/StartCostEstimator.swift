/// Learns what a shard costs beyond its tests: `overhead ≈ startCost + perItem × items`, where the
/// overhead of one shard is its wall time minus the summed durations of its tests.
///
/// The start cost (interpreter start, plugin load, conftest imports) is paid once per shard and is
/// what batching amortizes; the per-item part (argument handling, collection of each file) is paid
/// anyway and is added to every item's estimate. A least-squares line over exponentially weighted
/// samples separates the two once shards of different sizes have reported; until then (or when all
/// shards had the same size) the whole overhead counts as start cost.
struct StartCostEstimator: Hashable, Sendable {
    private(set) var startCost: Double
    private(set) var perItem: Double
    private(set) var samples = 0
    private let weight: Double
    /// The per-item cost assumed until shards of different sizes have reported.
    private let priorPerItem: Double
    // Exponentially weighted sums for the regression; the prior enters as one pseudo-sample of a
    // one-item shard, so the first real samples move the estimate without erasing it at once.
    private var s1: Double
    private var sx: Double
    private var sy: Double
    private var sxx: Double
    private var sxy: Double

    init(initial: Double, perItem: Double = 0, weight: Double) {
        self.startCost = initial
        self.perItem = perItem
        self.priorPerItem = perItem
        self.weight = weight
        s1 = 1
        sx = 1
        sy = initial + perItem
        sxx = 1
        sxy = initial + perItem
    }

    /// Adds one shard's overhead (seconds) for a shard of `items` items.
    mutating func observe(items: Int, overhead: Double) {
        guard overhead.isFinite, items > 0 else { return }
        let x = Double(items)
        // A shard that stalled outside its tests says little about process start: clip it so one
        // outlier cannot make every later batch huge.
        let predicted = startCost + perItem * x
        let y = min(max(0, overhead), 3 * predicted + 2)
        let keep = 1 - weight
        s1 = s1 * keep + 1
        sx = sx * keep + x
        sy = sy * keep + y
        sxx = sxx * keep + x * x
        sxy = sxy * keep + x * y
        samples += 1
        refit()
    }

    private mutating func refit() {
        let meanX = sx / s1
        let meanY = sy / s1
        let varianceX = sxx / s1 - meanX * meanX
        // Needs a spread of item counts to tell a per-item cost from a per-shard one.
        guard samples >= 3, varianceX > 0.25 else {
            perItem = priorPerItem
            startCost = max(0, meanY - priorPerItem * meanX)
            return
        }
        var slope = max(0, (sxy / s1 - meanX * meanY) / varianceX)
        var intercept = meanY - slope * meanX
        if intercept < 0 {
            intercept = 0
            slope = sxx > 0 ? max(0, sxy / sxx) : 0
        }
        startCost = intercept
        perItem = slope
    }
}
