/// Where an estimate came from, from most to least trustworthy.
public enum EstimateSource: String, Codable, Sendable, CaseIterable {
    /// The item's own passing samples.
    case history
    /// No history: the median of known files in the nearest folder that has any.
    case folderMedian = "folder_median"
    /// No history and no known file in any enclosing folder: the median of all known files.
    case suiteMedian = "suite_median"
    /// Nothing is known about any file: the configured default.
    case `default`

    /// Whether a plan built on this estimate should be flagged as a guess.
    public var isLowConfidence: Bool { self != .history }
}

/// The expected duration of one item and how it was arrived at.
public struct Estimate: Codable, Sendable, Hashable {
    /// Expected seconds; from the estimator never zero, never negative, always finite.
    public var seconds: Double
    /// Where the figure came from.
    public var source: EstimateSource
    /// How many passing samples the figure was computed from (0 unless `source == .history`).
    public var sampleCount: Int

    /// Creates an estimate.
    public init(seconds: Double, source: EstimateSource, sampleCount: Int = 0) {
        self.seconds = seconds
        self.source = source
        self.sampleCount = sampleCount
    }
}
