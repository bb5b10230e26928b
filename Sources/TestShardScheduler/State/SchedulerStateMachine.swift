import TestShardModel

/// The run's scheduler: which worker runs which items when, what a result means, what goes back to the
/// queue, and when the run is over.
///
/// A value type that does no I/O and reads no clock (SWIM's instance/shell split, postgres-nio's state
/// machines): every event is a `mutating` call with the current time as `now`, and returns the
/// actions the coordinator shell must carry out, in order. The shell is one `switch` over
/// ``SchedulerAction``.
///
/// ```
///  events ──> workerJoined / heartbeatReceived / shardResultReceived / tick / stop …
///                               │
///                     SchedulerStateMachine (queue, leases, items)
///                               │
///  actions <── assign / cancel / recordAccepted / itemFinal / itemsRequeued / runFinished …
/// ```
///
/// How it schedules:
/// 1. The queue holds work longest estimate first (ties by item id). A free slot gets a batch sized by
///    guided self-scheduling: `queued seconds / (batchFactor × slots)`, at least what keeps the learned
///    per-shard start cost a small fraction of the batch, at most `maxBatchSeconds` (≤ timeout / 4).
/// 2. Every hand-out is a lease `(shard, attempt)`. Heartbeats renew it; a lease not renewed within
///    `leaseTimeout`, or whose worker is lost, ends and its items go back to the queue. Results are
///    fenced by lease and worker: a result for an ended, unknown or foreign lease is discarded.
/// 3. A shard that ends without results for some items puts them back so the culprit is isolated: the
///    item that was running alone and the rest apart, or halves when that item is unknown. Only an item
///    that fails to give results on its own ends as timeout, crashed or no results.
/// 4. Failed tests run again (as `path::test` items) up to `retries` times, preferably on a worker they
///    did not fail on; pass after fail is flaky.
/// 5. Caps on requeues and isolation rounds, the deadline and the no-workers limit make every run end:
///    each item gets exactly one ``SchedulerAction/itemFinal(_:)``, then one
///    ``SchedulerAction/runFinished(_:)``.
public struct SchedulerStateMachine: Sendable {
    /// The most slots one worker is credited with, whatever it claims.
    public static let maxSlotsPerWorker = 1024

    /// The configuration the machine was built with (validated).
    public let configuration: SchedulerConfiguration

    var items: [ItemState] = []
    var itemIndex: [WorkItem: Int] = [:]
    var jobs: [Job] = []
    var queue = WorkQueue()
    var leases: [LeaseKey: Lease] = [:]
    var endedLeases: [LeaseKey: EndedLease] = [:]
    var workers: [WorkerID: WorkerState] = [:]
    var nextJoinOrder = 0
    var lastShardNumber = 0
    var startCost: StartCostEstimator
    var phase = Phase.notStarted
    var startedAt = 0.0
    var holding = false
    var noEligibleWorkersSince: Double?
    var stopState: StopState?
    var finalCount = 0
    var retriedTests = 0
    var summary = RunSummary()
    /// Actions produced while restoring a resumed run, handed out by the first event.
    var pendingActions: [SchedulerAction] = []

    /// Creates the scheduler for one run.
    ///
    /// - Parameters:
    ///   - items: the run's items with their estimates. A repeated item counts once (its first estimate).
    ///   - configuration: checked with ``SchedulerConfiguration/validate()``.
    ///   - resume: what a previous coordinator of this run recorded; its final items are not scheduled
    ///     again and its accepted results are replayed (see ``SchedulerResumeState``).
    public init(
        items: [EstimatedItem],
        configuration: SchedulerConfiguration = SchedulerConfiguration(),
        resume: SchedulerResumeState? = nil
    ) throws(SchedulerConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.startCost = StartCostEstimator(
            initial: configuration.initialStartCost,
            perItem: configuration.initialPerItemCost,
            weight: configuration.startCostSmoothing
        )
        for entry in items where itemIndex[entry.item] == nil {
            let estimate = entry.estimatedSeconds.isFinite ? max(0, entry.estimatedSeconds) : 0
            itemIndex[entry.item] = self.items.count
            jobs.append(Job(workItem: entry.item, item: self.items.count, retryOf: nil, estimate: estimate))
            self.items.append(ItemState(item: entry.item, estimate: estimate))
        }
        summary.items = self.items.count
        if let resume { restore(resume) }
        for index in jobs.indices where jobs[index].state == .queued {
            enqueue([index], pinned: false, previousLease: nil, now: 0)
        }
    }

    // MARK: - Events

    /// Starts the run's clocks (expected-workers hold, no-workers limit). Any first event does this
    /// implicitly; calling it explicitly makes a run with nothing to do finish at once.
    public mutating func start(now: Double) -> [SchedulerAction] {
        guard phase == .notStarted else { return [] }
        phase = .running
        startedAt = now
        holding = configuration.expectedWorkers > 0
        var actions = pendingActions
        pendingActions = []
        settle(now: now, into: &actions)
        return actions
    }

    /// A worker connected (or reconnected) with `slots` shards it can run at once (0 to
    /// ``maxSlotsPerWorker``; 0 joins without taking work). A worker that reconnects under a known
    /// identifier keeps its leases; their heartbeats renew them.
    public mutating func workerJoined(_ worker: WorkerID, slots: Int, now: Double) -> [SchedulerAction] {
        var actions = start(now: now)
        guard phase != .finished else { return actions }
        // A remote peer says how many slots it has: bounded, so sums over workers cannot overflow.
        let slots = min(max(0, slots), Self.maxSlotsPerWorker)
        if var known = workers[worker] {
            known.slots = slots
            known.lastSeen = now
            known.unresponsive = false
            known.draining = false
            workers[worker] = known
        } else {
            workers[worker] = WorkerState(id: worker, slots: slots, joinOrder: nextJoinOrder, lastSeen: now)
            nextJoinOrder += 1
        }
        settle(now: now, into: &actions)
        return actions
    }

    /// A worker's connection was lost or it left. Its running shards end at once as lost (not the items'
    /// fault) and their items go back to the queue; results it sends later are discarded.
    public mutating func workerLost(_ worker: WorkerID, now: Double) -> [SchedulerAction] {
        var actions = start(now: now)
        guard phase != .finished, let state = workers.removeValue(forKey: worker) else { return actions }
        for key in state.leases.sorted() {
            endLease(
                key,
                disposition: .workerLost,
                exit: ShardExit(kind: .lost, reason: "connection to worker \(worker) lost"),
                cause: .infrastructure(.workerLost, isolateSuspect: true),
                now: now,
                into: &actions
            )
        }
        settle(now: now, into: &actions)
        return actions
    }

    /// A worker is shutting down: it gets no new work; its running shards may finish.
    public mutating func workerDraining(_ worker: WorkerID, now: Double) -> [SchedulerAction] {
        var actions = start(now: now)
        guard phase != .finished else { return actions }
        guard workers[worker] != nil else {
            discard(.workRequest, worker: worker, lease: nil, reason: .unknownWorker, into: &actions)
            return actions
        }
        workers[worker]?.draining = true
        workers[worker]?.lastSeen = now
        settle(now: now, into: &actions)
        return actions
    }

    /// A worker's heartbeat: renews the leases it names (and notes the item each is on). A lease it
    /// names that the scheduler does not hold is discarded; one that already ended is also cancelled,
    /// so a worker that was cut off stops running work that now runs elsewhere.
    public mutating func heartbeatReceived(
        _ worker: WorkerID,
        running: [RunningShard],
        now: Double
    ) -> [SchedulerAction] {
        var actions = start(now: now)
        guard phase != .finished else { return actions }
        guard workers[worker] != nil else {
            discard(.heartbeat, worker: worker, lease: nil, reason: .unknownWorker, into: &actions)
            return actions
        }
        workers[worker]?.lastSeen = now
        workers[worker]?.unresponsive = false
        for entry in running {
            renew(
                entry.lease,
                worker: worker,
                lastStartedItem: entry.lastStartedItem,
                kind: .heartbeat,
                now: now,
                into: &actions
            )
        }
        settle(now: now, into: &actions)
        return actions
    }

    /// A worker's progress message for one shard: renews the lease and notes the item it is on.
    public mutating func shardProgress(
        _ worker: WorkerID,
        lease: LeaseKey,
        lastStartedItem: WorkItem?,
        now: Double
    ) -> [SchedulerAction] {
        heartbeatReceived(worker, running: [RunningShard(lease, lastStartedItem: lastStartedItem)], now: now)
    }

    /// A worker asks for work. Free slots are counted by the scheduler (slots minus held leases), not
    /// taken from the message: a count in flight races with assignments in flight and would overcommit.
    public mutating func workRequested(_ worker: WorkerID, now: Double) -> [SchedulerAction] {
        var actions = start(now: now)
        guard phase != .finished else { return actions }
        guard workers[worker] != nil else {
            discard(.workRequest, worker: worker, lease: nil, reason: .unknownWorker, into: &actions)
            return actions
        }
        workers[worker]?.lastSeen = now
        workers[worker]?.unresponsive = false
        settle(now: now, into: &actions)
        return actions
    }

    /// The worker started the shard's command (recorded with the shard; the start renews the lease).
    public mutating func shardStarted(
        _ worker: WorkerID,
        lease key: LeaseKey,
        command: [String],
        now: Double
    ) -> [SchedulerAction] {
        var actions = start(now: now)
        guard fence(.started, worker: worker, lease: key, into: &actions) != nil else { return actions }
        workers[worker]?.lastSeen = now
        leases[key]?.startedAt = now
        leases[key]?.command = command
        leases[key]?.renewedAt = now
        return actions
    }

    /// A worker's result for a shard attempt. Accepted only from the worker holding the live lease;
    /// otherwise discarded with the reason (late, duplicate, unknown, foreign). An accepted result ends
    /// the lease: tests are recorded, failed tests retried, unfinished items isolated or requeued,
    /// finished items made final, and the freed slot filled.
    public mutating func shardResultReceived(
        _ worker: WorkerID,
        lease key: LeaseKey,
        report: ShardReport,
        now: Double
    ) -> [SchedulerAction] {
        var actions = start(now: now)
        guard let lease = fence(.result, worker: worker, lease: key, into: &actions) else { return actions }
        workers[worker]?.lastSeen = now
        workers[worker]?.unresponsive = false
        if report.exit.kind == .refused {
            refuse(
                lease,
                reason: report.exit.reason ?? "refused",
                items: report.itemsWithoutResults,
                now: now,
                into: &actions
            )
        } else {
            accept(lease, report: report, now: now, into: &actions)
        }
        settle(now: now, into: &actions)
        return actions
    }

    /// The worker refused the shard (an item outside its include globs, a missing profile…). The named
    /// `items` (all of the shard's when empty) will not go to that worker again; the shard's items go
    /// back to the queue for other workers. An item every eligible worker refused ends as not run
    /// (refused) once nothing else is running.
    public mutating func shardRefused(
        _ worker: WorkerID,
        lease key: LeaseKey,
        reason: String,
        items: [WorkItem] = [],
        now: Double
    ) -> [SchedulerAction] {
        var actions = start(now: now)
        guard let lease = fence(.refusal, worker: worker, lease: key, into: &actions) else { return actions }
        workers[worker]?.lastSeen = now
        refuse(lease, reason: reason, items: items, now: now, into: &actions)
        settle(now: now, into: &actions)
        return actions
    }

    /// Time passes: expires leases without heartbeats, hard-stops shards past their timeout and grace,
    /// marks silent workers unresponsive, applies the deadline, the stop grace, the expected-workers
    /// hold and the no-workers limit, and hands out work whose retry preference ran out. Call it at
    /// ``nextTimerDeadline(now:)`` (or every heartbeat interval).
    public mutating func tick(now: Double) -> [SchedulerAction] {
        var actions = start(now: now)
        guard phase != .finished else { return actions }
        expireLeases(now: now, into: &actions)
        settle(now: now, into: &actions)
        return actions
    }

    /// Stops handing out work (deadline, cancel-all, drain). Queued items end as not run with `reason`;
    /// running shards get `grace` seconds (`nil`: until they end or hit their timeout; 0: cancelled now),
    /// then are cancelled and their unfinished items end as not run. A second stop can only shorten the
    /// grace.
    public mutating func stop(reason: StopReason, grace: Double?, now: Double) -> [SchedulerAction] {
        var actions = start(now: now)
        guard phase != .finished else { return actions }
        beginStop(reason, cancelAt: grace.map { now + max(0, $0) }, now: now, into: &actions)
        settle(now: now, into: &actions)
        return actions
    }

    /// The deadline passed (when the shell keeps the clock itself rather than setting
    /// `configuration.deadline`): the same as `stop(reason: .deadline, grace: deadlineGrace)`.
    public mutating func deadlineReached(now: Double) -> [SchedulerAction] {
        stop(reason: .deadline, grace: configuration.deadlineGrace, now: now)
    }

    // MARK: - Queries

    /// Whether `runFinished` has been emitted.
    public var isFinished: Bool { phase == .finished }

    /// The final state of `item`, once it has one.
    public func finalState(of item: WorkItem) -> ItemFinalState? {
        itemIndex[item].flatMap { items[$0].final }
    }

    /// The leases currently held by `worker`, in shard order.
    public func leases(of worker: WorkerID) -> [LeaseKey] {
        workers[worker]?.leases.sorted() ?? []
    }

    // MARK: - Fencing

    /// The live lease `key` if `worker` holds it; otherwise records why the message is discarded.
    mutating func fence(
        _ kind: DiscardedMessage.Kind,
        worker: WorkerID,
        lease key: LeaseKey,
        into actions: inout [SchedulerAction]
    ) -> Lease? {
        if phase == .finished {
            discard(kind, worker: worker, lease: key, reason: .runFinished, into: &actions)
            return nil
        }
        if let lease = leases[key] {
            if lease.worker == worker { return lease }
            discard(kind, worker: worker, lease: key, reason: .foreignWorker(owner: lease.worker), into: &actions)
            return nil
        }
        if let ended = endedLeases[key] {
            let reason: DiscardedMessage.Reason =
                ended.disposition == .accepted ? .alreadyAccepted : .leaseEnded(ended.disposition)
            discard(kind, worker: worker, lease: key, reason: reason, into: &actions)
            return nil
        }
        discard(kind, worker: worker, lease: key, reason: .unknownLease, into: &actions)
        return nil
    }

    mutating func discard(
        _ kind: DiscardedMessage.Kind,
        worker: WorkerID,
        lease: LeaseKey?,
        reason: DiscardedMessage.Reason,
        into actions: inout [SchedulerAction]
    ) {
        summary.discardedMessages += 1
        actions.append(.discard(DiscardedMessage(kind: kind, worker: worker, lease: lease, reason: reason)))
    }

    private mutating func renew(
        _ key: LeaseKey,
        worker: WorkerID,
        lastStartedItem: WorkItem?,
        kind: DiscardedMessage.Kind,
        now: Double,
        into actions: inout [SchedulerAction]
    ) {
        if let lease = leases[key], lease.worker == worker {
            leases[key]?.renewedAt = now
            if let lastStartedItem { leases[key]?.lastStartedItem = lastStartedItem }
            return
        }
        let ended = endedLeases[key]
        _ = fence(kind, worker: worker, lease: key, into: &actions)
        // The worker still runs something whose items now run elsewhere (it was cut off, or its lease
        // expired): tell it to stop. A heartbeat racing its own accepted result needs nothing.
        if let ended, ended.worker == worker, ended.disposition != .accepted {
            actions.append(.cancel(worker, key, .leaseEnded))
        }
    }
}
