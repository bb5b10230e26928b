/// A read-only view for progress lines and metrics.
public struct SchedulerSnapshot: Hashable, Sendable {
    /// Where the run is.
    public enum Phase: String, Hashable, Sendable {
        /// No event yet.
        case notStarted = "not_started"
        /// Waiting for the expected workers before the first hand-out.
        case holding
        case running
        /// No new work; running shards finish or are cancelled.
        case stopping
        case finished
    }

    public var phase: Phase = .notStarted
    public var itemsTotal = 0
    public var itemsFinal = 0
    /// Final items that count against the run.
    public var itemsFailed = 0
    public var itemsFlaky = 0
    /// Queue entries waiting (a batch-able item, or an isolation piece).
    public var queueDepth = 0
    /// Units of work waiting (items and test retries).
    public var queuedUnits = 0
    public var queuedEstimatedSeconds = 0.0
    public var runningLeases = 0
    /// Estimated seconds left in running shards (estimate minus elapsed, at least 0 each).
    public var runningEstimatedSeconds = 0.0
    /// Connected workers.
    public var workers = 0
    /// Workers that may get work (connected, responsive, not draining).
    public var eligibleWorkers = 0
    public var totalSlots = 0
    public var freeSlots = 0
    public var requeues = 0
    public var discardedMessages = 0
    public var retriesScheduled = 0
    /// The learned per-shard start cost (seconds).
    public var startCostSeconds = 0.0
    /// The learned overhead per item in a shard (argument handling, collection), seconds.
    public var perItemOverheadSeconds = 0.0
    /// The smallest batch the scheduler makes now (from the start cost).
    public var minBatchSeconds = 0.0
    /// Estimated seconds until every slot is idle, from estimates; `nil` without slots.
    public var etaSeconds: Double?

    public init() {}
}
