/// The newest passing durations of one item, as the planner and the export read them.
public struct DurationWindow: Sendable, Hashable, Codable {
    /// The item id: a file (`path`) or a test (`path::Class::test`).
    public var item: String
    /// Passing durations in seconds, newest first, at most the store's window size K.
    public var durations: [Double]
    /// Unix seconds of the newest sample in the window.
    public var updatedAt: Double
    /// How many passing samples ever went into the window (it keeps at most K): a confidence hint.
    public var passingSamples: Int

    public init(item: String, durations: [Double], updatedAt: Double, passingSamples: Int) {
        self.item = item
        self.durations = durations
        self.updatedAt = updatedAt
        self.passingSamples = passingSamples
    }
}
