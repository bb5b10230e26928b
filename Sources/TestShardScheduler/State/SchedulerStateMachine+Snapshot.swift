// Progress and metrics.
extension SchedulerStateMachine {
    /// The run's state for progress lines and metrics, at `now`.
    public func snapshot(now: Double) -> SchedulerSnapshot {
        var snapshot = SchedulerSnapshot()
        switch phase {
        case .notStarted: snapshot.phase = .notStarted
        case .finished: snapshot.phase = .finished
        case .running: snapshot.phase = stopState != nil ? .stopping : (holding ? .holding : .running)
        }
        snapshot.itemsTotal = items.count
        snapshot.itemsFinal = finalCount
        snapshot.itemsFailed = summary.failed + summary.timeout + summary.crashed + summary.noResults
        snapshot.itemsFlaky = summary.flaky
        snapshot.queueDepth = queue.entries.count
        snapshot.queuedUnits = queue.jobCount
        snapshot.queuedEstimatedSeconds = queue.estimatedSeconds
        snapshot.runningLeases = leases.count
        snapshot.runningEstimatedSeconds = leases.values.reduce(0) { total, lease in
            total + max(0, lease.estimate - (now - (lease.startedAt ?? lease.assignedAt)))
        }
        snapshot.workers = workers.count
        let eligible = eligibleWorkers
        snapshot.eligibleWorkers = eligible.count
        snapshot.totalSlots = eligible.reduce(0) { $0 + $1.slots }
        snapshot.freeSlots = eligible.reduce(0) { $0 + $1.freeSlots }
        snapshot.requeues = summary.requeues
        snapshot.discardedMessages = summary.discardedMessages
        snapshot.retriesScheduled = summary.retriesScheduled
        snapshot.startCostSeconds = startCost.startCost
        snapshot.perItemOverheadSeconds = startCost.perItem
        snapshot.minBatchSeconds = minBatchSeconds
        if snapshot.totalSlots > 0 {
            // Work left over the slots, plus one start per batch still to come (at least one per slot).
            let queued = queuedCost
            let batches = queue.isEmpty ? 0 : max(Double(snapshot.totalSlots), queued / max(minBatchSeconds, 1))
            let work = queued + snapshot.runningEstimatedSeconds + batches * startCost.startCost
            snapshot.etaSeconds = work / Double(snapshot.totalSlots)
        }
        return snapshot
    }
}
