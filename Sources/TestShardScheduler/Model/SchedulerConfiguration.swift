/// The numbers that steer scheduling, leases and the end of a run. All times are seconds on the
/// clock the shell passes in as `now`.
///
/// The batching defaults come from the simulation in `Tests/TestShardSchedulerTests/Simulation` over
/// the 32 real duration sets (bench/durations: 22 per file, 10 per test), 4 and 8 workers with one
/// 1.5× slower, estimates off by lognormal σ = 0.3 (and 0.6), a process start of 1 s and 2 s per
/// shard:
///
/// | constant            | tried                    | chosen | why                                       |
/// |---------------------|--------------------------|--------|-------------------------------------------|
/// | `batchFactor`       | 1, 1.5, 2, 3, 4          | 2      | 1 is 0.2 % better at σ 0.3, 2.2 % worse   |
/// |                     |                          |        | at σ 0.6; 2 is best or near it at both    |
/// | `startCostFraction` | 0.05, 0.1, 0.2, 0.3, 0.5 | 0.2    | 0.1 → 0.2 cuts small suites' wall 4–8 %;  |
/// |                     |                          |        | beyond, < 0.5 % more for 15 % more starts |
/// | `maxBatchSeconds`   | 120, 300, 600            | 300    | no measurable difference at σ 0.3;        |
/// |                     |                          |        | 300 = the default 20 min timeout / 4      |
///
/// Rerun: `TESTSHARD_SCHEDULER_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter
/// SchedulerBenchmarks`.
public struct SchedulerConfiguration: Hashable, Sendable {
    // MARK: Leases and timeouts

    /// How often workers should send heartbeats (the shell tells workers; the scheduler only checks
    /// that the lease timeout leaves room for missed ones).
    public var heartbeatInterval: Double = 5
    /// A lease not renewed by a heartbeat (or any message naming it) for this long expires: its items
    /// go back to the queue and a later result for it is discarded. At least twice the heartbeat interval.
    public var leaseTimeout: Double = 30
    /// The timeout each shard is handed out with (config `shard_timeout`); the worker kills the shard's
    /// process group when it passes.
    public var shardTimeout: Double = 1200
    /// How long past `shardTimeout` the coordinator waits for the worker's own timeout result before it
    /// cancels the shard itself and treats its unfinished items as timed out.
    public var hardStopGrace: Double = 30

    // MARK: Retries

    /// How many more times a failed or errored test runs (config `retries`). Pass after fail = flaky.
    public var retries: Int = 1
    /// The most tests one run retries, so a broken fixture failing thousands of tests does not double
    /// the run; failures past it stay failed without a retry.
    public var maxRetriedTests: Int = 1000
    /// How long a retry waits for a worker that has not failed it, while such a worker exists; after
    /// that (or when no other worker exists) any worker may take it.
    public var retryPreferenceWait: Double = 30

    // MARK: Batching (guided self-scheduling)

    /// GSS divisor: a batch aims at `queued seconds / (batchFactor × slots)`. Larger = smaller batches
    /// earlier, more process starts.
    public var batchFactor: Double = 2
    /// The largest batch in estimated seconds; never more than `shardTimeout / 4` (enforced), so a
    /// normal batch does not run into its timeout.
    public var maxBatchSeconds: Double = 300
    /// A batch is at least `startCost / startCostFraction` estimated seconds (5 × the start cost), so
    /// the per-shard process start stays at most this fraction of the batch — unless the remaining
    /// work spread over the free slots is smaller.
    public var startCostFraction: Double = 0.2
    /// Cap a tail batch at the fair share of all outstanding work (queued plus the running shards'
    /// remaining estimates) over all slots, when the start-cost floor would exceed that share by more
    /// than a process start — so the last worker to take work does not run alone while the others,
    /// done sooner, wait (`SchedulerStateMachine.batchTarget`, step 3). Simulated on the real duration
    /// sets, on vs off: geometric mean wall / bound equal or better in 8 of 9 scenarios (up to 1.6 % at
    /// 8 workers), 1–3 % more shards (docs/BENCHMARKS.md, "Scheduling under noise").
    public var balanceTail = true
    /// Give the last batches exactly the worker's fair share of all outstanding work (queued plus the
    /// running shards' remainder, at each worker's pace: `SchedulerStateMachine.fairShare`), when that
    /// share lies between the start-cost floor and twice the floor, so the last round of shards ends
    /// at about the same time when the estimates hold, instead of the last taker holding what the
    /// floor-sized batches before it left (`SchedulerStateMachine.batchTarget`, step 4). Simulated on the real duration sets (as `balanceTail`), on vs off: 5–6 % fewer
    /// shards; geometric mean wall / bound 0.001–0.003 higher in 7 of 9 scenarios, lower in 2 (by up
    /// to 0.005), and with `workerPace` equal or lower in 8 of 9 (docs/BENCHMARKS.md). On the seed's
    /// 5000 tiny files with the box 15 % off its history: 4 shards instead of 6, 4–8 % sooner.
    public var evenLastBatches = true
    /// Learn each worker's pace (its shards' own time over their estimates, once it has finished
    /// `minimumPaceShards`) and share the tail by it: a worker 1.5× slower gets two thirds of the others' batch
    /// (`SchedulerStateMachine.fairShare`). Off, every worker counts as pace 1. Simulated on the
    /// real duration sets with one worker 1.5× slower, on vs off: geometric mean wall / bound
    /// 0.002–0.005 lower in all 9 scenarios (2, 4, 8 workers × 0.5, 1, 2 s starts), with about the
    /// same number of shards.
    public var workerPace = true
    /// Complete shards a worker needs before its pace counts (until then it is 1): one or two shards
    /// say more about their files than about the worker. Longest first hands out first the files
    /// whose history was highest, and a file's history may be one sample. On the seed's 5000 files
    /// two identical workers' first shards ran at 1.34 and 1.43 × their estimates, the opposite of
    /// how their last shards then ran (docs/BENCHMARKS.md, "The seed's scale").
    public var minimumPaceShards = 3
    /// A floor for the smallest batch regardless of the learned start cost.
    public var minBatchFloorSeconds: Double = 0
    /// The per-shard start cost assumed before any shard has reported (pytest: 0.9–2.2 s measured).
    public var initialStartCost: Double = 1.0
    /// The cost each item adds to a shard beyond its own tests (argument handling, collection) assumed
    /// until shards of different sizes have reported; pytest measured ~6.5 ms per path argument.
    /// It matters for suites of many tiny files, whose estimates hide most of what they cost.
    public var initialPerItemCost: Double = 0
    /// Weight of each new sample in the learned start cost (exponential smoothing).
    public var startCostSmoothing: Double = 0.1

    // MARK: Requeue caps (a run always ends)

    /// An item whose shards were lost (worker gone, lease expired, handed back) this many times ends
    /// as `lost`.
    public var maxLostRequeues: Int = 3
    /// After this many shards that ended without its result, an item runs alone (so the next failure
    /// is conclusive) instead of in a group.
    public var maxIsolationRounds: Int = 3

    // MARK: Start and end of the run

    /// Hold every hand-out until this many workers have joined (`--expect-workers`), so the run starts
    /// balanced; 0 dispatches as soon as any worker joins.
    public var expectedWorkers: Int = 0
    /// Stop holding for `expectedWorkers` after this long from the start of the run.
    public var expectedWorkersTimeout: Double = 120
    /// The absolute time (same clock as `now`) at which no new work is handed out (`--deadline`);
    /// `nil` for none.
    public var deadline: Double? = nil
    /// How long running shards may continue after the deadline before they are cancelled.
    public var deadlineGrace: Double = 60
    /// When the run stops (deadline, cancel) and running shards are cancelled, how long to wait for
    /// each worker's answer: a stopped runner still reports the tests it finished, and those results
    /// count. Past this wait the shard ends as cancelled without results.
    public var stopResultWait: Double = 15
    /// End the run (items left as not run: no workers) when work remains but no worker could take it
    /// for this long; `nil` waits forever.
    public var noWorkersTimeout: Double? = 600

    /// The defaults above.
    public init() {}

    /// The largest batch actually used: `maxBatchSeconds`, but never above `shardTimeout / 4`.
    public var effectiveMaxBatchSeconds: Double { min(maxBatchSeconds, shardTimeout / 4) }

    /// Checks every value; throws naming the first bad one and what to use instead.
    public func validate() throws(SchedulerConfigurationError) {
        func positive(_ value: Double, _ name: String) throws(SchedulerConfigurationError) {
            guard value.isFinite, value > 0 else {
                throw SchedulerConfigurationError(
                    code: .invalidValue,
                    message: "\(name) is \(value); it must be a positive number of seconds"
                )
            }
        }
        func nonNegative(_ value: Double, _ name: String) throws(SchedulerConfigurationError) {
            guard value.isFinite, value >= 0 else {
                throw SchedulerConfigurationError(
                    code: .invalidValue,
                    message: "\(name) is \(value); it must be zero or a positive number"
                )
            }
        }
        func count(_ value: Int, _ name: String, atLeast minimum: Int) throws(SchedulerConfigurationError) {
            guard value >= minimum else {
                throw SchedulerConfigurationError(
                    code: .invalidValue,
                    message: "\(name) is \(value); it must be at least \(minimum)"
                )
            }
        }
        try positive(heartbeatInterval, "heartbeatInterval")
        try positive(leaseTimeout, "leaseTimeout")
        try positive(shardTimeout, "shardTimeout")
        try nonNegative(hardStopGrace, "hardStopGrace")
        try count(retries, "retries", atLeast: 0)
        try count(maxRetriedTests, "maxRetriedTests", atLeast: 0)
        try nonNegative(retryPreferenceWait, "retryPreferenceWait")
        try positive(batchFactor, "batchFactor")
        try positive(maxBatchSeconds, "maxBatchSeconds")
        try positive(startCostFraction, "startCostFraction")
        try nonNegative(minBatchFloorSeconds, "minBatchFloorSeconds")
        try nonNegative(initialStartCost, "initialStartCost")
        try nonNegative(initialPerItemCost, "initialPerItemCost")
        try positive(startCostSmoothing, "startCostSmoothing")
        try count(maxLostRequeues, "maxLostRequeues", atLeast: 1)
        try count(maxIsolationRounds, "maxIsolationRounds", atLeast: 1)
        try count(minimumPaceShards, "minimumPaceShards", atLeast: 1)
        try count(expectedWorkers, "expectedWorkers", atLeast: 0)
        try nonNegative(expectedWorkersTimeout, "expectedWorkersTimeout")
        try nonNegative(deadlineGrace, "deadlineGrace")
        try nonNegative(stopResultWait, "stopResultWait")
        if let deadline, !deadline.isFinite {
            throw SchedulerConfigurationError(
                code: .invalidValue,
                message: "deadline is \(deadline); give a finite time"
            )
        }
        if let noWorkersTimeout { try positive(noWorkersTimeout, "noWorkersTimeout") }
        guard startCostSmoothing <= 1 else {
            throw SchedulerConfigurationError(
                code: .invalidValue,
                message: "startCostSmoothing is \(startCostSmoothing); it is a weight between 0 and 1 (try 0.2)"
            )
        }
        guard startCostFraction < 1 else {
            throw SchedulerConfigurationError(
                code: .invalidValue,
                message: "startCostFraction is \(startCostFraction); it is the share of a batch a process start may "
                    + "take, below 1 (try 0.2)"
            )
        }
        guard leaseTimeout >= 2 * heartbeatInterval else {
            throw SchedulerConfigurationError(
                code: .inconsistent,
                message: "leaseTimeout \(leaseTimeout)s is less than two heartbeat intervals (\(heartbeatInterval)s): "
                    + "one late heartbeat would expire a healthy lease; use at least \(2 * heartbeatInterval)s"
            )
        }
    }
}

/// A configuration the scheduler cannot work with.
public struct SchedulerConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        /// A value is out of its range (negative, zero, not finite).
        public static let invalidValue = Code(name: "invalid value")
        /// Two values contradict each other.
        public static let inconsistent = Code(name: "inconsistent values")
        public var description: String { name }
    }

    /// The kind of problem.
    public let code: Code
    /// What was wrong, with the offending value, and what to do.
    public let message: String

    public var description: String { "scheduler configuration: \(message)" }
}
