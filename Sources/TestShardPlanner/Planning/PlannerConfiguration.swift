/// How many shards to plan and how far the planner may go to reach the lower bound.
public struct PlannerConfiguration: Sendable, Hashable {
    /// N: the number of shards (slots) the plan fills.
    public let shardCount: Int
    /// At most this many files are cut into test items (default: N).
    public let maxSplitFiles: Int
    /// The planner stops cutting more files once the makespan is within this fraction of the
    /// bound (0.01 = 1%).
    public let tolerance: Double

    /// Creates a configuration, or throws `PlannerError` naming the value that is out of range.
    public init(shardCount: Int, maxSplitFiles: Int? = nil, tolerance: Double = 0.01) throws(PlannerError) {
        guard shardCount >= 1 else {
            throw PlannerError(
                code: .invalidConfiguration,
                message: "shard count \(shardCount) must be at least 1"
            )
        }
        let cuts = maxSplitFiles ?? shardCount
        guard cuts >= 0 else {
            throw PlannerError(
                code: .invalidConfiguration,
                message: "max split files \(cuts) must be 0 (never split) or more"
            )
        }
        guard tolerance >= 0, tolerance.isFinite else {
            throw PlannerError(
                code: .invalidConfiguration,
                message: "tolerance \(tolerance) must be a fraction ≥ 0, e.g. 0.01 for 1%"
            )
        }
        self.shardCount = shardCount
        self.maxSplitFiles = cuts
        self.tolerance = tolerance
    }
}
