import TestShardModel

/// A run item with the seconds the planner expects it to take (from history; the median of known
/// files for new ones).
public struct EstimatedItem: Hashable, Sendable, Codable {
    public var item: WorkItem
    /// Expected seconds; negative or non-finite values count as 0.
    public var estimatedSeconds: Double

    public init(_ item: WorkItem, estimatedSeconds: Double) {
        self.item = item
        self.estimatedSeconds = estimatedSeconds
    }
}
