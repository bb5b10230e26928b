/// The figure the estimator computes over an item's recent passing samples.
public enum EstimatorStatistic: Sendable, Hashable, CustomStringConvertible {
    /// The p-th percentile (0…100) with linear interpolation between ranks; 50 is the median.
    case percentile(Double)
    /// Exponentially weighted moving average, oldest sample first, seeded with the oldest:
    /// `e = alpha * sample + (1 - alpha) * e`. `alpha` in (0, 1]; larger follows the newest more.
    case ewma(alpha: Double)
    /// The arithmetic mean.
    case mean

    public var description: String {
        switch self {
        case .percentile(let p): p == 50 ? "median" : "p\(Self.trim(p))"
        case .ewma(let alpha): "ewma(α=\(Self.trim(alpha)))"
        case .mean: "mean"
        }
    }

    private static func trim(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// What the estimator does; `standard` is the setting chosen by measurement (docs/BENCHMARKS.md).
public struct EstimatorConfiguration: Sendable, Hashable {
    /// The statistic over the window.
    public let statistic: EstimatorStatistic
    /// How many of the most recent passing samples count (K).
    public let window: Int
    /// Seconds for a file when nothing at all is known about the suite.
    public let defaultSeconds: Double
    /// The smallest estimate ever given, so that no item weighs zero: zero-weight items all land
    /// on the same least-loaded shard (1.75× at 8 shards, 4.3× at 32 in the reference simulation).
    public let minimumSeconds: Double
    /// How much one sample of a file's duration varies from run to run, as the σ of a log-normal
    /// factor (0.3: a run's file takes ×0.74…×1.35 of its usual time, one time in three outside).
    /// With it, `estimateFiles` pulls a figure from few samples toward the figures of its folder,
    /// by as much as that noise explains (`Estimator.pooled`). 0 turns the pooling off: each
    /// file's estimate is its own figure.
    public let sampleNoise: Double

    /// EWMA (α 0.2) of the last 20 passing samples. Measured on the real datasets with noisy
    /// histories (docs/BENCHMARKS.md): within 0.1% of the best candidate overall, best when
    /// files change speed, and far better than the last value or a p90/max of a short window.
    ///
    /// Sample noise 0.3: with one or two samples per file, alike files' estimates are mostly that
    /// noise, and longest-first put the files that happened to measure short last, so the work
    /// left always looked smaller than it was (docs/BENCHMARKS.md, "The seed's scale").
    public static let standard = EstimatorConfiguration(
        uncheckedStatistic: .ewma(alpha: 0.2),
        window: 20,
        defaultSeconds: 1,
        minimumSeconds: 0.001,
        sampleNoise: 0.3
    )

    /// Creates a configuration, or throws `EstimatorError` naming the value that is out of range.
    public init(
        statistic: EstimatorStatistic,
        window: Int,
        defaultSeconds: Double = 1,
        minimumSeconds: Double = 0.001,
        sampleNoise: Double = 0
    ) throws(EstimatorError) {
        switch statistic {
        case .percentile(let p) where !(p >= 0 && p <= 100):
            throw EstimatorError(
                code: .invalidConfiguration,
                message: "percentile \(p) is outside 0…100; use e.g. 50 for the median or 90 for p90"
            )
        case .ewma(let alpha) where !(alpha > 0 && alpha <= 1):
            throw EstimatorError(
                code: .invalidConfiguration,
                message: "EWMA alpha \(alpha) is outside (0, 1]; use e.g. 0.3"
            )
        default:
            break
        }
        guard window >= 1 else {
            throw EstimatorError(
                code: .invalidConfiguration,
                message: "window \(window) must be at least 1 sample"
            )
        }
        guard defaultSeconds > 0, defaultSeconds.isFinite else {
            throw EstimatorError(
                code: .invalidConfiguration,
                message: "default estimate \(defaultSeconds) s must be a positive number of seconds"
            )
        }
        guard minimumSeconds > 0, minimumSeconds.isFinite else {
            throw EstimatorError(
                code: .invalidConfiguration,
                message: "minimum estimate \(minimumSeconds) s must be a positive number of seconds"
            )
        }
        guard sampleNoise >= 0, sampleNoise.isFinite else {
            throw EstimatorError(
                code: .invalidConfiguration,
                message: "sample noise \(sampleNoise) must be a log-normal σ ≥ 0, e.g. 0.3 (0 turns pooling off)"
            )
        }
        self.init(
            uncheckedStatistic: statistic,
            window: window,
            defaultSeconds: defaultSeconds,
            minimumSeconds: minimumSeconds,
            sampleNoise: sampleNoise
        )
    }

    private init(
        uncheckedStatistic statistic: EstimatorStatistic,
        window: Int,
        defaultSeconds: Double,
        minimumSeconds: Double,
        sampleNoise: Double
    ) {
        self.statistic = statistic
        self.window = window
        self.defaultSeconds = defaultSeconds
        self.minimumSeconds = minimumSeconds
        self.sampleNoise = sampleNoise
    }
}

/// An estimator setting that cannot work.
public struct EstimatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// A configuration value is out of range.
        public static let invalidConfiguration = Code("invalid configuration")
        public var description: String { name }
    }

    /// What kind of problem it is.
    public var code: Code
    /// What was wrong, with the value, and what to do.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "estimator: \(message)" }
}
