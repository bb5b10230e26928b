/// What the coordinator knows at one moment, as plain numbers: the input of `PrometheusText.render`
/// and of `/healthz`. The coordinator builds one per scrape from the scheduler's snapshot and the
/// engine's counters; nothing here is computed lazily or read from a clock.
///
/// The event counts (`requeues`, `authFailures`, `workersJoined`, … `runsFinished`) become
/// Prometheus counters, so for one `runID` they must never go down; the rest are gauges and may
/// move either way.
public struct MetricsSnapshot: Hashable, Sendable {
    /// Where the run is, coarser than the scheduler's phase (a scrape needs no more).
    public enum Phase: String, Hashable, Sendable, CaseIterable {
        /// Planned, waiting for workers or for the first hand-out (the scheduler's `notStarted` and
        /// `holding`).
        case starting
        /// Handing out shards.
        case running
        /// No new work; running shards finish or are cancelled.
        case stopping
        /// Every item is final; the report is being written or has been.
        case finished
    }

    /// The run these values belong to; the `run_id` label on every per-run metric.
    public var runID: String
    public var phase: Phase

    /// Items (test files or isolation pieces) in the run's plan.
    public var itemsTotal = 0
    /// Items with a final result.
    public var itemsFinal = 0
    /// Final items that count against the run (failed, timed out, crashed, no results).
    public var itemsFailed = 0
    /// Final items that passed only on a retry.
    public var itemsFlaky = 0

    /// Units of work waiting to be handed out (items and test retries; the scheduler's
    /// `queuedUnits`). Drains to 0 as the run ends.
    public var queuedItems = 0
    /// The estimated seconds of the queued work.
    public var queuedEstimatedSeconds = 0.0
    /// Shards handed out and not yet finished.
    public var runningLeases = 0
    /// Workers connected now.
    public var workersConnected = 0
    /// Slots of the workers that may get work.
    public var totalSlots = 0
    /// Of `totalSlots`, the ones without a shard.
    public var freeSlots = 0
    /// Estimated seconds until every slot is idle; `nil` while there are no slots to estimate with.
    public var etaSeconds: Double?

    /// Shards put back in the queue (lease expired, worker lost, shard crashed before starting).
    public var requeues = 0
    /// Worker messages dropped as stale or unknown (late results of an expired lease, …).
    public var discardedMessages = 0
    /// Test or item retries the scheduler queued.
    public var retriesScheduled = 0
    /// Connections refused for a wrong token or a failed handshake.
    public var authFailures = 0
    /// Workers that completed the handshake.
    public var workersJoined = 0
    /// Workers that left without saying goodbye (connection lost, idle timeout).
    public var workersLost = 0
    /// Test case results recorded.
    public var testsRecorded = 0
    /// Of `testsRecorded`, the failed or errored ones.
    public var testsFailed = 0
    /// Wall time of finished shards, from the hand-out to the result.
    public var shardDurations = DurationHistogram()

    /// Runs this process started.
    public var runsStarted = 0
    /// Runs this process finished.
    public var runsFinished = 0

    /// A snapshot with every count at 0 and an empty duration histogram.
    public init(runID: String, phase: Phase = .starting) {
        self.runID = runID
        self.phase = phase
    }
}
