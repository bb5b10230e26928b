/// The run's totals, handed out with `runFinished`.
public struct RunSummary: Hashable, Sendable, Codable {
    /// Items in the run (including those final before a resume).
    public var items = 0
    public var passed = 0
    public var failed = 0
    public var flaky = 0
    public var skipped = 0
    public var noTests = 0
    public var timeout = 0
    public var crashed = 0
    public var noResults = 0
    public var lost = 0
    public var notRun = 0
    /// The summed estimates of the items that did not run: how much longer the rest would have taken
    /// (on one slot).
    public var notRunEstimatedSeconds = 0.0
    /// Why the run stopped early, if it did.
    public var stopReason: StopReason?
    /// Shard attempts handed out.
    public var shardsAssigned = 0
    /// Item requeues of any kind (loss, expiry, isolation, refusal).
    public var requeues = 0
    /// Messages fenced off (late, duplicate, unknown, foreign).
    public var discardedMessages = 0
    /// Test retries scheduled.
    public var retriesScheduled = 0

    public init() {}

    /// Whether any item counts against the run (`failed`, `timeout`, `crashed`, `noResults`).
    public var hasFailures: Bool { failed + timeout + crashed + noResults > 0 }

    /// Whether every item got a result of its own (none lost or not run).
    public var everyItemHasResult: Bool { lost + notRun == 0 }
}
