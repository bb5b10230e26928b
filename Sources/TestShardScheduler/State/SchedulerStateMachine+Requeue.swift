import TestShardModel

// Items of a shard that ended without their results: back to the queue, split to find the culprit,
// or final when the evidence is conclusive or a cap is reached.
extension SchedulerStateMachine {
    /// Ends a live lease that has no accepted result (lost, expired, hard-stopped, cancelled).
    mutating func endLease(
        _ key: LeaseKey,
        disposition: ShardRecord.Disposition,
        exit: ShardExit,
        cause: UnfinishedCause,
        now: Double,
        into actions: inout [SchedulerAction]
    ) {
        guard let lease = closeLease(key, disposition: disposition) else { return }
        actions.append(
            .recordShardEnded(
                record(
                    lease,
                    disposition: disposition,
                    exit: exit,
                    now: now,
                    lastStartedItem: lease.lastStartedItem,
                    unfinished: lease.jobs
                )
            )
        )
        requeueUnfinished(
            lease.jobs,
            of: lease,
            cause: cause,
            lastStarted: lease.lastStartedItem,
            now: now,
            into: &actions
        )
    }

    /// Decides where each unfinished job of `lease` goes.
    ///
    /// 1. A shard of one job that ended without its result for a reason that may be its own: that job
    ///    is the culprit and ends in that state (timeout, crashed, no results).
    /// 2. While the run is stopping, nothing goes back: unfinished jobs end as not run.
    /// 3. Isolation (timeout, crash, missing results): with the item that was running known, it runs
    ///    alone and the rest go back to the queue as ordinary items; unknown, the unfinished jobs are
    ///    bisected into two pinned halves that run apart. A job already in `maxIsolationRounds` such
    ///    shards runs alone, so the next failure is conclusive.
    /// 4. Infrastructure (worker lost, lease expired, handed back): not the items' fault. Each job's loss
    ///    count grows and at `maxLostRequeues` it ends as lost; the rest go back as they were (a pinned
    ///    piece as the same shard's next attempt), the item that was running alone.
    mutating func requeueUnfinished(
        _ unfinished: [Int],
        of lease: Lease,
        cause: UnfinishedCause,
        lastStarted: WorkItem?,
        now: Double,
        into actions: inout [SchedulerAction]
    ) {
        guard !unfinished.isEmpty else { return }
        if case .isolation(let state) = cause, lease.jobs.count == 1 {
            for job in unfinished { finishJob(job, endedAs: state, into: &actions) }
            return
        }
        if let stopState {
            for job in unfinished { finishJob(job, endedAs: .notRun(stopState.reason.notRunReason), into: &actions) }
            return
        }
        let suspect = lastStarted.flatMap { item in unfinished.first { jobs[$0].workItem == item } }
        switch cause {
        case .isolation:
            for job in unfinished { jobs[job].isolationRounds += 1 }
            if let suspect {
                put(
                    [suspect],
                    pinned: true,
                    previousLease: nil,
                    reason: .isolateAlone,
                    from: lease.key,
                    now: now,
                    into: &actions
                )
                requeueFree(
                    unfinished.filter { $0 != suspect },
                    reason: .isolateRest,
                    from: lease.key,
                    now: now,
                    into: &actions
                )
            } else if unfinished.count == 1 {
                put(
                    unfinished,
                    pinned: true,
                    previousLease: nil,
                    reason: .isolateAlone,
                    from: lease.key,
                    now: now,
                    into: &actions
                )
            } else {
                let middle = unfinished.count / 2
                for half in [Array(unfinished[..<middle]), Array(unfinished[middle...])] {
                    let alone = half.filter { jobs[$0].isolationRounds >= configuration.maxIsolationRounds }
                    let group = half.filter { jobs[$0].isolationRounds < configuration.maxIsolationRounds }
                    for job in alone {
                        put(
                            [job],
                            pinned: true,
                            previousLease: nil,
                            reason: .isolateAlone,
                            from: lease.key,
                            now: now,
                            into: &actions
                        )
                    }
                    if !group.isEmpty {
                        put(
                            group,
                            pinned: true,
                            previousLease: nil,
                            reason: group.count == 1 ? .isolateAlone : .bisect,
                            from: lease.key,
                            now: now,
                            into: &actions
                        )
                    }
                }
            }
        case .infrastructure(let reason, let isolateSuspect):
            var remaining: [Int] = []
            for job in unfinished {
                jobs[job].lostCount += 1
                if jobs[job].lostCount >= configuration.maxLostRequeues {
                    finishJob(job, endedAs: .lost, into: &actions)
                } else {
                    remaining.append(job)
                }
            }
            guard !remaining.isEmpty else { return }
            if lease.pinned {
                // An isolation piece keeps its composition; unchanged, it is the same shard's next attempt.
                let previous = remaining.count == lease.jobs.count ? lease.key : nil
                put(
                    remaining,
                    pinned: true,
                    previousLease: previous,
                    reason: reason,
                    from: lease.key,
                    now: now,
                    into: &actions
                )
            } else if isolateSuspect, remaining.count > 1, let suspect, remaining.contains(suspect) {
                put(
                    [suspect],
                    pinned: true,
                    previousLease: nil,
                    reason: .isolateAlone,
                    from: lease.key,
                    now: now,
                    into: &actions
                )
                requeueFree(
                    remaining.filter { $0 != suspect },
                    reason: reason,
                    from: lease.key,
                    now: now,
                    into: &actions
                )
            } else {
                requeueFree(remaining, reason: reason, from: lease.key, now: now, into: &actions)
            }
        }
    }

    /// Queues jobs as one entry and reports it.
    mutating func put(
        _ jobList: [Int],
        pinned: Bool,
        previousLease: LeaseKey?,
        reason: RequeueReason,
        from lease: LeaseKey,
        now: Double,
        into actions: inout [SchedulerAction]
    ) {
        guard !jobList.isEmpty else { return }
        enqueue(jobList, pinned: pinned, previousLease: previousLease, now: now)
        summary.requeues += jobList.count
        actions.append(.itemsRequeued(jobList.map { jobs[$0].workItem }, reason, from: lease))
    }

    /// Queues jobs as ordinary entries, to be batched again — except jobs that reached the isolation
    /// cap, which run alone.
    mutating func requeueFree(
        _ jobList: [Int],
        reason: RequeueReason,
        from lease: LeaseKey,
        now: Double,
        into actions: inout [SchedulerAction]
    ) {
        var free: [Int] = []
        for job in jobList {
            if jobs[job].isolationRounds >= configuration.maxIsolationRounds {
                put(
                    [job],
                    pinned: true,
                    previousLease: nil,
                    reason: .isolateAlone,
                    from: lease,
                    now: now,
                    into: &actions
                )
            } else {
                free.append(job)
            }
        }
        guard !free.isEmpty else { return }
        for job in free { enqueue([job], pinned: false, previousLease: nil, now: now) }
        summary.requeues += free.count
        actions.append(.itemsRequeued(free.map { jobs[$0].workItem }, reason, from: lease))
    }
}
