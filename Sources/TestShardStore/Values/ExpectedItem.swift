/// One item of a run's expected inventory, with the estimate the run planned with.
public struct ExpectedItem: Sendable, Hashable, Codable {
    /// The item id: a file (`path`) or a test of a split file (`path::test`).
    public var item: String
    /// Seconds, when the planner had one.
    public var estimate: Double?

    public init(item: String, estimate: Double? = nil) {
        self.item = item
        self.estimate = estimate
    }
}
