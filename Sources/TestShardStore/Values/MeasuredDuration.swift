/// One duration to record: what the coordinator measured for an item in a shard, or what an
/// import read from another tool's file. The store adds the run and the source.
public struct MeasuredDuration: Sendable, Hashable, Codable {
    /// The item id: a file (`path`) or a test (`path::Class::test`).
    public var item: String
    /// Seconds; finite and not negative.
    public var duration: Double
    public var outcome: StoredSample.Outcome
    /// Unix seconds.
    public var recordedAt: Double
    /// The worker that measured it, when there was one.
    public var worker: String?

    public init(
        item: String,
        duration: Double,
        outcome: StoredSample.Outcome,
        recordedAt: Double,
        worker: String? = nil
    ) {
        self.item = item
        self.duration = duration
        self.outcome = outcome
        self.recordedAt = recordedAt
        self.worker = worker
    }
}
