import TestShardModel

// Time-driven rules: lease expiry, hard stop, deadline and stop grace, the expected-workers hold,
// the no-workers limit — and the end of the run.
extension SchedulerStateMachine {
    /// The earliest time after which ``tick(now:)`` would change something (a lease to expire or
    /// hard-stop, a silent worker, the deadline, a grace or hold to end, a retry preference to lapse);
    /// `nil` when only events can. A time at or before `now` means: tick now.
    public func nextTimerDeadline(now: Double) -> Double? {
        guard phase == .running else { return nil }
        var earliest: Double?
        func consider(_ time: Double) { earliest = min(earliest ?? time, time) }
        for lease in leases.values {
            consider(lease.assignedAt + lease.timeout + configuration.hardStopGrace)
            consider(lease.renewedAt + configuration.leaseTimeout)
        }
        for worker in workers.values where !worker.unresponsive {
            consider(worker.lastSeen + configuration.leaseTimeout)
        }
        if holding { consider(startedAt + configuration.expectedWorkersTimeout) }
        if stopState == nil, let deadline = configuration.deadline { consider(deadline) }
        if let cancelAt = stopState?.cancelAt, !leases.isEmpty { consider(cancelAt) }
        for lease in leases.values {
            if let requested = lease.stopRequestedAt { consider(requested + configuration.stopResultWait) }
        }
        if stopState == nil, let since = noEligibleWorkersSince, let limit = configuration.noWorkersTimeout {
            consider(since + limit)
        }
        if queue.preferenceEntries > 0 {
            // Only future lapses: a lapsed preference that still finds no free slot needs no tick.
            for entry in queue.entries where entry.hasPreference {
                let lapse = entry.enqueuedAt + configuration.retryPreferenceWait
                if lapse > now { consider(lapse) }
            }
        }
        return earliest
    }

    /// Hard-stops shards past timeout + grace, expires leases without heartbeats, and marks silent
    /// workers unresponsive.
    mutating func expireLeases(now: Double, into actions: inout [SchedulerAction]) {
        for key in leases.keys.sorted() {
            guard let lease = leases[key] else { continue }
            if now >= lease.assignedAt + lease.timeout + configuration.hardStopGrace {
                actions.append(.cancel(lease.worker, key, .hardTimeout))
                endLease(
                    key,
                    disposition: .hardStopped,
                    exit: ShardExit(
                        kind: .timeout,
                        reason: "no result within the \(DurationText.format(lease.timeout)) timeout and "
                            + "\(DurationText.format(configuration.hardStopGrace)) grace"
                    ),
                    cause: .isolation(.timeout),
                    now: now,
                    into: &actions
                )
            } else if now >= lease.renewedAt + configuration.leaseTimeout {
                actions.append(.cancel(lease.worker, key, .leaseExpired))
                endLease(
                    key,
                    disposition: .leaseExpired,
                    exit: ShardExit(
                        kind: .lost,
                        reason: "no heartbeat for \(DurationText.format(configuration.leaseTimeout))"
                    ),
                    cause: .infrastructure(.leaseExpired, isolateSuspect: true),
                    now: now,
                    into: &actions
                )
            }
        }
        for id in workers.keys.sorted() {
            guard let worker = workers[id], !worker.unresponsive,
                now >= worker.lastSeen + configuration.leaseTimeout
            else { continue }
            workers[id]?.unresponsive = true
            actions.append(.notice(.workerUnresponsive(id)))
        }
    }

    /// Runs after every event: applies the rules that depend on the whole state, hands out work, and
    /// ends the run when everything is final.
    mutating func settle(now: Double, into actions: inout [SchedulerAction]) {
        guard phase == .running else { return }
        if stopState == nil, let deadline = configuration.deadline, now >= deadline {
            beginStop(.deadline, cancelAt: deadline + configuration.deadlineGrace, now: now, into: &actions)
        }
        checkNoWorkers(now: now, into: &actions)
        if let stopState, let cancelAt = stopState.cancelAt, now >= cancelAt, !leases.isEmpty {
            cancelRunning(stopState.reason, now: now, into: &actions)
        }
        if holding,
            workers.count >= configuration.expectedWorkers || now >= startedAt + configuration.expectedWorkersTimeout
        {
            holding = false
            actions.append(
                .notice(.dispatchStarted(joinedWorkers: workers.count, expectedWorkers: configuration.expectedWorkers))
            )
        }
        dispatch(now: now, into: &actions)
        // After dispatch: an item every eligible worker refused ends only when nothing else runs.
        settleRefusals(now: now, into: &actions)
        checkFinished(into: &actions)
    }

    mutating func beginStop(_ reason: StopReason, cancelAt: Double?, now: Double, into actions: inout [SchedulerAction])
    {
        if var existing = stopState {
            if let cancelAt { existing.cancelAt = min(existing.cancelAt ?? cancelAt, cancelAt) }
            stopState = existing
            return
        }
        stopState = StopState(reason: reason, cancelAt: cancelAt)
        summary.stopReason = reason
        actions.append(.notice(.stopping(reason, cancelRunningAt: cancelAt)))
        for entry in queue.removeAll() {
            for job in entry.jobs { finishJob(job, endedAs: .notRun(reason.notRunReason), into: &actions) }
        }
    }

    /// Cancels running shards in two steps: first the worker is told to stop (its runner still
    /// reports the tests it finished, and they count); a shard that has not answered within
    /// `stopResultWait` then ends as cancelled, without results.
    mutating func cancelRunning(_ reason: StopReason, now: Double, into actions: inout [SchedulerAction]) {
        for key in leases.keys.sorted() {
            guard let lease = leases[key] else { continue }
            guard let requested = lease.stopRequestedAt else {
                leases[key]?.stopRequestedAt = now
                actions.append(.cancel(lease.worker, key, .stopped(reason)))
                continue
            }
            guard now >= requested + configuration.stopResultWait else { continue }
            endLease(
                key,
                disposition: .cancelled,
                exit: ShardExit(kind: .cancelled, reason: "run stopped (\(reason.rawValue))"),
                cause: .infrastructure(.handedBack, isolateSuspect: false),
                now: now,
                into: &actions
            )
        }
    }

    /// Starts or ends the no-workers clock; past its limit the run stops.
    mutating func checkNoWorkers(now: Double, into actions: inout [SchedulerAction]) {
        guard stopState == nil, let limit = configuration.noWorkersTimeout else { return }
        guard !queue.isEmpty, !workers.values.contains(where: \.isEligible) else {
            noEligibleWorkersSince = nil
            return
        }
        guard let since = noEligibleWorkersSince else {
            noEligibleWorkersSince = now
            return
        }
        if now >= since + limit { beginStop(.noWorkers, cancelAt: nil, now: now, into: &actions) }
    }

    /// Ends jobs that every eligible worker refused. Waits until nothing runs, so a worker that joins
    /// later in the run still gets the chance.
    mutating func settleRefusals(now: Double, into actions: inout [SchedulerAction]) {
        guard queue.refusalEntries > 0, leases.isEmpty else { return }
        let eligible = Set(workers.values.filter(\.isEligible).map(\.id))
        guard !eligible.isEmpty else { return }
        let offsets = queue.entries.indices.filter { offset in
            let entry = queue.entries[offset]
            return entry.hasRefusals && entry.jobs.contains { eligible.isSubset(of: jobs[$0].refusedBy) }
        }
        guard !offsets.isEmpty else { return }
        for entry in queue.remove(at: offsets) {
            var keep: [Int] = []
            for job in entry.jobs {
                if eligible.isSubset(of: jobs[job].refusedBy) {
                    finishJob(job, endedAs: .notRun(.refused(jobs[job].refusalReason ?? "refused")), into: &actions)
                } else {
                    keep.append(job)
                }
            }
            let previous = keep.count == entry.jobs.count ? entry.previousLease : nil
            enqueue(keep, pinned: entry.pinned, previousLease: previous, now: entry.enqueuedAt)
        }
    }

    mutating func checkFinished(into actions: inout [SchedulerAction]) {
        guard phase == .running, finalCount == items.count, leases.isEmpty else { return }
        phase = .finished
        actions.append(.runFinished(summary))
    }
}
