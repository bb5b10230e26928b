import TestShardModel

// Resuming a run after a coordinator crash.
extension SchedulerStateMachine {
    /// Applies what the previous coordinator recorded. Runs inside `init`, before anything is queued;
    /// the first job of item `i` is job `i` at this point.
    mutating func restore(_ resume: SchedulerResumeState) {
        lastShardNumber = max(0, resume.lastShardNumber)
        for item in resume.finalItems.keys.sorted() {
            guard let index = itemIndex[item], items[index].final == nil, let state = resume.finalItems[item] else {
                continue
            }
            items[index].final = state
            items[index].pendingJobs = 0
            jobs[index].state = .done
            finalCount += 1
            count(state, estimate: items[index].estimate)
        }
        // Replay accepted results of items that are not final: their first run is done, and their
        // retries continue from the attempts already recorded.
        var resumed = Set<Int>()
        for record in resume.accepted where record.disposition == .accepted {
            lastShardNumber = max(lastShardNumber, record.lease.shard.number)
            for test in record.tests {
                guard let index = itemIndex[test.item], items[index].final == nil else { continue }
                resumed.insert(index)
                let id = test.result.id
                if items[index].tests[id] == nil {
                    items[index].tests[id] = TestHistory()
                    items[index].testOrder.append(id)
                }
                let attempts = items[index].tests[id]?.statuses.count ?? 0
                if test.attempt > attempts {
                    items[index].tests[id]?.statuses.append(test.result.status)
                    if test.attempt > 1 { retriedTests += 1 }
                } else if let previous = items[index].tests[id]?.statuses.last {
                    items[index].tests[id]?.statuses[attempts - 1] = max(previous, test.result.status)
                }
                if test.result.status.isFailure { items[index].tests[id]?.failedOn.append(record.worker) }
                items[index].tests[id]?.lastDuration = test.result.duration
            }
        }
        var actions: [SchedulerAction] = []
        for index in resumed.sorted() {
            jobs[index].state = .done
            items[index].pendingJobs = 0
            for id in items[index].testOrder {
                guard let history = items[index].tests[id], let last = history.statuses.last else { continue }
                if last.isFailure, history.statuses.count <= configuration.retries {
                    scheduleRetry(of: id, item: index, now: 0, into: &actions)
                }
            }
            if items[index].pendingJobs == 0 { finalize(index, into: &actions) }
        }
        pendingActions.append(contentsOf: actions)
    }
}
