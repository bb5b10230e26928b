import TestShardModel

// Handing out work: which worker gets which batch, and how big a batch is.
extension SchedulerStateMachine {
    /// Workers that may get work, in join order (a stable order keeps runs reproducible).
    var eligibleWorkers: [WorkerState] {
        workers.values.filter(\.isEligible).sorted { $0.joinOrder < $1.joinOrder }
    }

    /// The smallest batch worth a process start: the learned start cost is at most
    /// `startCostFraction` of it.
    var minBatchSeconds: Double {
        max(configuration.minBatchFloorSeconds, startCost.startCost / configuration.startCostFraction)
    }

    /// What one queued entry costs a worker beyond the start: its estimate plus the learned per-item
    /// overhead for each of its items.
    func cost(of entry: QueueEntry) -> Double {
        cost(estimate: entry.estimate, items: entry.jobs.count)
    }

    /// `estimate` seconds of `items` items plus the learned per-item overhead.
    func cost(estimate: Double, items: Int) -> Double {
        estimate + startCost.perItem * Double(items)
    }

    /// What the whole queue costs a worker beyond the starts.
    var queuedCost: Double { cost(estimate: queue.estimatedSeconds, items: queue.jobCount) }

    /// The batch size in seconds for the next hand-out (guided self-scheduling).
    ///
    /// 1. GSS: `remaining / (batchFactor × slots)` — big batches while much is left, small at the tail.
    /// 2. Not below `minBatchSeconds`, so the start cost stays a small fraction of each batch — unless
    ///    the remaining work split over the free slots is smaller; then each free slot gets an even
    ///    share, because every slot pays one start anyway.
    /// 3. In the tail (`balanceTail`), not above this worker's fair share of all outstanding work —
    ///    queued plus what the running shards still have to do, at each worker's learned pace
    ///    (`fairShare`; a slower worker's share is smaller) — when the floor of step 2 would
    ///    exceed that share by more than a process start: a worker that takes everything left while
    ///    the others free up soon finishes last alone, and the others' extra start is cheaper.
    /// 4. In the tail (`evenLastBatches`), exactly the fair share when it lies between the floor and
    ///    twice the floor (but not more than an even split of the queue over the free slots): what is
    ///    left then gives every slot one more batch but not two, and batches of the floor's size would
    ///    end unevenly — the first takers' shards short, the last taker's holding the rest. With the
    ///    fair share every slot ends at about the same time, with no more starts.
    /// 5. Not above `maxBatchSeconds` (≤ shard timeout / 4).
    ///
    /// The floor divides by the *free* slots on purpose: in the tail the first free worker takes a
    /// start-cost-worthy batch rather than a fair share. Measured on the real duration sets, a floor of
    /// the fair share over all slots (with or without the running work) starts 40–80 % more shards and
    /// ends 1–5 % later overall, though it helps tiny suites on a slow host; step 3 only cuts where it
    /// saves more than a start (SchedulerBenchmarks prints both).
    func batchTarget(for worker: WorkerID, totalSlots: Int, freeSlots: Int, now: Double) -> Double {
        let remaining = queuedCost
        let guided = remaining / (configuration.batchFactor * Double(max(1, totalSlots)))
        let evenOverFree = remaining / Double(max(1, freeSlots))
        var floor = min(minBatchSeconds, evenOverFree)
        if configuration.balanceTail || configuration.evenLastBatches, floor > guided {
            let fair = fairShare(for: worker, queued: remaining, now: now)
            if configuration.balanceTail, floor - fair > startCost.startCost {
                floor = fair
            } else if configuration.evenLastBatches, fair > floor, fair < 2 * floor {
                // Not above an even split over the free slots: they start now, the busy ones later.
                floor = min(fair, evenOverFree)
            }
        }
        return min(max(guided, floor), configuration.effectiveMaxBatchSeconds)
    }

    /// The batch, in estimated seconds, that lets `worker` end with every other eligible slot when
    /// the `queued` work is shared out now: the slots end together at `E` when
    /// `Σ (E − busyₛ) / paceₛ = queued`, where `busyₛ` is what a slot's running shard still needs
    /// (its cost at its worker's pace, less the time since it was handed out) and a slot of pace
    /// `p` does `1/p` estimated seconds a second; `worker`'s share of it is `E / pace`. With every
    /// pace 1 this is `(queued + Σ busy) / slots`.
    func fairShare(for worker: WorkerID, queued: Double, now: Double) -> Double {
        var capacity = 0.0
        var backlog = 0.0
        for state in workers.values where state.isEligible {
            capacity += Double(state.slots) / pace(of: state)
        }
        for lease in leases.values {
            guard let state = workers[lease.worker], state.isEligible else { continue }
            let leasePace = pace(of: state)
            let leaseTime =
                startCost.startCost + startCost.perItem * Double(lease.jobs.count) + lease.estimate * leasePace
            backlog += max(0, leaseTime - max(0, now - lease.assignedAt)) / leasePace
        }
        let ownPace = workers[worker].map { pace(of: $0) } ?? 1
        return (queued + backlog) / (max(capacity, .leastNonzeroMagnitude) * ownPace)
    }

    /// How long `state`'s worker takes per estimated second of work: its complete shards' own time
    /// over their estimates, within 0.5–2. A host 1.5× slower than the one the history came from
    /// learns 1.5, and so does every worker of a run on a box 1.5× slower than its history.
    ///
    /// 1 until `configuration.minimumPaceShards` shards (and a second of estimates), and with
    /// `configuration.workerPace` off.
    func pace(of state: WorkerState) -> Double {
        guard configuration.workerPace, state.completeShards >= configuration.minimumPaceShards,
            state.estimatedSeconds >= 1
        else { return 1 }
        return min(2, max(0.5, state.workSeconds / state.estimatedSeconds))
    }

    mutating func dispatch(now: Double, into actions: inout [SchedulerAction]) {
        guard phase == .running, stopState == nil, !holding, !queue.isEmpty else { return }
        let order = eligibleWorkers.map(\.id)
        // Round-robin one shard per worker per pass, so simultaneous free slots share the big early
        // batches instead of one worker taking several.
        var assigned = true
        while assigned && !queue.isEmpty {
            assigned = false
            for worker in order where (workers[worker]?.freeSlots ?? 0) > 0 {
                guard let assignment = assignBatch(to: worker, now: now) else { continue }
                actions.append(.assign(worker, assignment))
                assigned = true
            }
        }
    }

    /// Whether `worker` may take `entry` now.
    func canTake(_ entry: QueueEntry, worker: WorkerID, eligible: [WorkerState], now: Double) -> Bool {
        if entry.hasRefusals, entry.jobs.contains(where: { jobs[$0].refusedBy.contains(worker) }) { return false }
        guard entry.hasPreference, entry.jobs.contains(where: { jobs[$0].avoid.contains(worker) }) else { return true }
        if now >= entry.enqueuedAt + configuration.retryPreferenceWait { return true }
        // A retry waits (briefly) for a worker it has not failed on, if one is around; a lone worker
        // retries it itself.
        let another = eligible.contains { other in
            other.id != worker
                && !entry.jobs.contains { jobs[$0].avoid.contains(other.id) || jobs[$0].refusedBy.contains(other.id) }
        }
        return !another
    }

    /// Takes the next batch for `worker` from the queue and leases it; `nil` when nothing suits it.
    mutating func assignBatch(to worker: WorkerID, now: Double) -> ShardAssignment? {
        let eligible = eligibleWorkers
        let freeSlots = eligible.reduce(0) { $0 + $1.freeSlots }
        let target = batchTarget(
            for: worker,
            totalSlots: eligible.reduce(0) { $0 + $1.slots },
            freeSlots: freeSlots,
            now: now
        )
        // Longest first: walk from the head, take the first entry this worker may have; a pinned entry
        // goes alone, otherwise keep adding single jobs while they fit the target.
        var offsets: [Int] = []
        var seconds = 0.0
        var offset = queue.entries.count - 1
        while offset >= 0 {
            let entry = queue.entries[offset]
            defer { offset -= 1 }
            guard canTake(entry, worker: worker, eligible: eligible, now: now) else { continue }
            if offsets.isEmpty {
                offsets.append(offset)
                seconds = cost(of: entry)
                if entry.pinned || seconds >= target { break }
                continue
            }
            if entry.pinned { continue }
            let next = cost(of: entry)
            if seconds + next > target { break }
            offsets.append(offset)
            seconds += next
            if seconds >= target { break }
        }
        guard !offsets.isEmpty else { return nil }
        if freeSlots == 1, !(offsets.count == 1 && queue.entries[offsets[0]].pinned) {
            takeAShortRest(into: &offsets, seconds: seconds, worker: worker, eligible: eligible, now: now)
        }
        let taken = queue.remove(at: offsets)
        let jobList = taken.flatMap(\.jobs)
        let pinned = taken.count == 1 && taken[0].pinned
        let key: LeaseKey
        if pinned, let previous = taken[0].previousLease {
            key = LeaseKey(shard: previous.shard, attempt: previous.attempt + 1)
        } else {
            lastShardNumber += 1
            key = LeaseKey(shard: ShardID(number: lastShardNumber), attempt: 1)
        }
        let estimate = jobList.reduce(0) { $0 + jobs[$1].estimate }
        let kind: ShardAssignment.Kind = pinned ? .isolation : .batch
        for job in jobList { jobs[job].state = .leased(key) }
        leases[key] = Lease(
            key: key,
            worker: worker,
            jobs: jobList,
            kind: kind,
            pinned: pinned,
            assignedAt: now,
            timeout: configuration.shardTimeout,
            estimate: estimate,
            renewedAt: now
        )
        workers[worker]?.leases.insert(key)
        summary.shardsAssigned += 1
        return ShardAssignment(
            shard: key.shard,
            attempt: key.attempt,
            items: jobList.map { jobs[$0].workItem },
            timeout: configuration.shardTimeout,
            estimatedSeconds: estimate,
            kind: kind
        )
    }

    /// Called when this is the only free slot: if what the batch would leave behind costs less than a
    /// process start, the batch takes it too: a later shard for it would cost more to start than to
    /// run, and it would run last, alone (measured: one 0-second file left for a shard of its own
    /// ended a 5000-file run 0.9 s later). With several slots free the rest is theirs to share.
    private func takeAShortRest(
        into offsets: inout [Int],
        seconds: Double,
        worker: WorkerID,
        eligible: [WorkerState],
        now: Double
    ) {
        let rest = queuedCost - seconds
        guard rest < startCost.startCost, offsets.count < queue.entries.count else { return }
        let taken = Set(offsets)
        for offset in stride(from: queue.entries.count - 1, through: 0, by: -1) where !taken.contains(offset) {
            let entry = queue.entries[offset]
            if !entry.pinned, canTake(entry, worker: worker, eligible: eligible, now: now) { offsets.append(offset) }
        }
    }

    /// Puts jobs in the queue as one entry.
    mutating func enqueue(_ jobList: [Int], pinned: Bool, previousLease: LeaseKey?, now: Double) {
        guard let first = jobList.first else { return }
        for job in jobList { jobs[job].state = .queued }
        queue.insert(
            QueueEntry(
                jobs: jobList,
                estimate: jobList.reduce(0) { $0 + jobs[$1].estimate },
                key: jobs[first].workItem.id,
                pinned: pinned,
                previousLease: previousLease,
                enqueuedAt: now,
                hasPreference: jobList.contains { !jobs[$0].avoid.isEmpty },
                hasRefusals: jobList.contains { !jobs[$0].refusedBy.isEmpty }
            )
        )
    }
}
