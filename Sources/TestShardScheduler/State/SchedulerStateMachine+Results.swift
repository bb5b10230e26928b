import TestShardModel

// What a result means: which tests belong to which item, what is finished, what is retried.
extension SchedulerStateMachine {
    /// Ends a live lease in the books and returns it.
    @discardableResult
    mutating func closeLease(_ key: LeaseKey, disposition: ShardRecord.Disposition) -> Lease? {
        guard let lease = leases.removeValue(forKey: key) else { return nil }
        workers[lease.worker]?.leases.remove(key)
        endedLeases[key] = EndedLease(worker: lease.worker, disposition: disposition)
        return lease
    }

    func record(
        _ lease: Lease,
        disposition: ShardRecord.Disposition,
        exit: ShardExit,
        now: Double,
        lastStartedItem: WorkItem?,
        tests: [RecordedTest] = [],
        unattributed: [TestCaseResult] = [],
        unfinished: [Int]
    ) -> ShardRecord {
        ShardRecord(
            lease: lease.key,
            worker: lease.worker,
            items: lease.jobs.map { jobs[$0].workItem },
            kind: lease.kind,
            disposition: disposition,
            exit: exit,
            assignedAt: lease.assignedAt,
            startedAt: lease.startedAt,
            endedAt: now,
            command: lease.command,
            lastStartedItem: lastStartedItem,
            tests: tests,
            unattributedTests: unattributed,
            unfinishedItems: unfinished.map { jobs[$0].workItem }
        )
    }

    /// Where the unfinished items of a shard that ended this way go.
    static func unfinishedCause(of exit: ShardExit) -> UnfinishedCause {
        switch exit.kind {
        case .timeout: .isolation(.timeout)
        case .crash: .isolation(.crashed)
        case .ok, .testsFailed, .noResults: .isolation(.noResults)
        case .lost: .infrastructure(.workerLost, isolateSuspect: true)
        case .cancelled: .infrastructure(.handedBack, isolateSuspect: false)
        case .refused: .infrastructure(.refused(exit.reason ?? "refused"), isolateSuspect: false)
        }
    }

    /// Accepts a fenced result: records it, applies its tests, and sends what is unfinished on.
    mutating func accept(_ lease: Lease, report: ShardReport, now: Double, into actions: inout [SchedulerAction]) {
        closeLease(lease.key, disposition: .accepted)

        // 1. Attribute each test to the most specific item of the shard it belongs to.
        var jobByItem: [WorkItem: Int] = [:]
        for job in lease.jobs { jobByItem[jobs[job].workItem] = job }
        var testsByJob: [Int: [TestCaseResult]] = [:]
        var unattributed: [TestCaseResult] = []
        for test in report.tests {
            if let job = Self.owner(of: test, in: jobByItem) {
                testsByJob[job, default: []].append(test)
            } else {
                unattributed.append(test)
            }
        }

        // 2. An item is finished when it has results the run can trust: all of them after a complete
        //    run; after a timeout, crash or truncated result file, any but the item that was running —
        //    the last started one, or failing that the one the last result belongs to — whose results
        //    may be cut short.
        let missing = Set(report.itemsWithoutResults)
        let empty = Set(report.itemsWithoutTests)
        let lastStarted = report.lastStartedItem ?? lease.lastStartedItem
        let complete = report.exit.kind.isCompleteRun
        var partial: WorkItem? = nil
        if !complete {
            partial =
                lastStarted ?? report.tests.last.flatMap { Self.owner(of: $0, in: jobByItem) }.map { jobs[$0].workItem }
        }
        var finished: [Int] = []
        var unfinished: [Int] = []
        for job in lease.jobs {
            let item = jobs[job].workItem
            let hasTests = !(testsByJob[job]?.isEmpty ?? true)
            let done: Bool
            if missing.contains(item) {
                done = false
            } else if hasTests {
                done = item != partial
            } else {
                done = empty.contains(item)
            }
            if done { finished.append(job) } else { unfinished.append(job) }
        }

        // 3. Learn the start cost from complete runs: wall time minus the time spent on the items —
        //    the tests' own time, or what the worker attributed to the files when that is more (it
        //    includes their collection, which history now counts as the files' own). The time on
        //    the items against their estimates is the worker's pace.
        if complete {
            let wall = report.wallSeconds ?? (now - (lease.startedAt ?? lease.assignedAt))
            let testSeconds = report.tests.reduce(0) { $0 + max(0, $1.duration) }
            let work = max(testSeconds, report.attributedSeconds.isFinite ? report.attributedSeconds : 0)
            startCost.observe(items: lease.jobs.count, overhead: wall - work)
            if work.isFinite, lease.estimate.isFinite, lease.estimate > 0 {
                workers[lease.worker]?.workSeconds += work
                workers[lease.worker]?.estimatedSeconds += lease.estimate
                workers[lease.worker]?.completeShards += 1
            }
        }

        // 4. Apply results. An item that ran alone and still has none is the culprit: it ends now, with
        //    whatever partial results it left (recorded, never retried).
        var recorded: [RecordedTest] = []
        var following: [SchedulerAction] = []
        for job in finished {
            applyTests(
                testsByJob[job] ?? [],
                of: job,
                worker: lease.worker,
                allowRetries: true,
                now: now,
                recorded: &recorded,
                into: &following
            )
            finishJob(job, endedAs: nil, into: &following)
        }
        let cause = Self.unfinishedCause(of: report.exit)
        if lease.jobs.count == 1, let job = unfinished.first, case .isolation = cause {
            applyTests(
                testsByJob[job] ?? [],
                of: job,
                worker: lease.worker,
                allowRetries: false,
                now: now,
                recorded: &recorded,
                into: &following
            )
        }
        requeueUnfinished(unfinished, of: lease, cause: cause, lastStarted: lastStarted, now: now, into: &following)

        actions.append(
            .recordAccepted(
                record(
                    lease,
                    disposition: .accepted,
                    exit: report.exit,
                    now: now,
                    lastStartedItem: lastStarted,
                    tests: recorded,
                    unattributed: unattributed,
                    unfinished: unfinished
                )
            )
        )
        actions.append(contentsOf: following)
    }

    /// The job whose item a test belongs to: the item equal to the test id, else the longest item id
    /// that prefixes it at a node boundary (`::` or `[`), else the test's file.
    static func owner(of test: TestCaseResult, in jobByItem: [WorkItem: Int]) -> Int? {
        let id = test.id
        if let job = jobByItem[WorkItem(id)] { return job }
        var end = id.endIndex
        while end > id.startIndex {
            let before = id.index(before: end)
            if id[before] == "[" {
                if let job = jobByItem[WorkItem(String(id[..<before]))] { return job }
            } else if id[before] == ":", before > id.startIndex, id[id.index(before: before)] == ":" {
                let cut = id.index(before: before)
                if let job = jobByItem[WorkItem(String(id[..<cut]))] { return job }
                end = cut
                continue
            }
            end = before
        }
        return jobByItem[WorkItem(test.file)]
    }

    /// Adds one attempt's results to the item's tests; schedules retries of failures when allowed.
    mutating func applyTests(
        _ tests: [TestCaseResult],
        of job: Int,
        worker: WorkerID,
        allowRetries: Bool,
        now: Double,
        recorded: inout [RecordedTest],
        into actions: inout [SchedulerAction]
    ) {
        guard !tests.isEmpty else { return }
        let index = jobs[job].item
        var order: [String] = []
        var byID: [String: [TestCaseResult]] = [:]
        for test in tests {
            if byID[test.id] == nil { order.append(test.id) }
            byID[test.id, default: []].append(test)
        }
        for id in order {
            let results = byID[id] ?? []
            // pytest can report one test twice (a teardown error beside the call's result): the worse counts.
            let status = results.map(\.status).max() ?? .passed
            if items[index].tests[id] == nil {
                items[index].tests[id] = TestHistory()
                items[index].testOrder.append(id)
            }
            items[index].tests[id]?.statuses.append(status)
            if status.isFailure { items[index].tests[id]?.failedOn.append(worker) }
            items[index].tests[id]?.lastDuration = results.map(\.duration).max() ?? 0
            let attempt = items[index].tests[id]?.statuses.count ?? 1
            recorded.append(
                contentsOf: results.map { RecordedTest(result: $0, item: items[index].item, attempt: attempt) }
            )
            if allowRetries, status.isFailure, attempt <= configuration.retries, stopState == nil {
                scheduleRetry(of: id, item: index, now: now, into: &actions)
            }
        }
    }

    mutating func scheduleRetry(of test: String, item index: Int, now: Double, into actions: inout [SchedulerAction]) {
        guard retriedTests < configuration.maxRetriedTests else {
            actions.append(.notice(.retryBudgetExhausted(test: test)))
            return
        }
        guard let history = items[index].tests[test] else { return }
        retriedTests += 1
        summary.retriesScheduled += 1
        let avoid = Set(history.failedOn)
        var job = Job(
            workItem: WorkItem(test),
            item: index,
            retryOf: test,
            estimate: max(0, history.lastDuration.isFinite ? history.lastDuration : 0)
        )
        job.avoid = avoid
        jobs.append(job)
        items[index].pendingJobs += 1
        enqueue([jobs.count - 1], pinned: false, previousLease: nil, now: now)
        actions.append(
            .testRetryScheduled(
                test: test,
                item: items[index].item,
                attempt: history.statuses.count + 1,
                avoiding: avoid.sorted()
            )
        )
    }

    /// Marks a job done. `endedAs` is the item's state when its first run ended without results
    /// (timeout, lost, not run…); a retry that ends so just leaves the test as it was.
    mutating func finishJob(_ job: Int, endedAs state: ItemFinalState?, into actions: inout [SchedulerAction]) {
        guard jobs[job].state != .done else { return }
        jobs[job].state = .done
        let index = jobs[job].item
        if let state, !jobs[job].isRetry { items[index].forced = state }
        items[index].pendingJobs -= 1
        if items[index].pendingJobs == 0 { finalize(index, into: &actions) }
    }

    mutating func finalize(_ index: Int, into actions: inout [SchedulerAction]) {
        precondition(items[index].final == nil, "item \(items[index].item) made final twice")
        let outcomes = items[index].testOrder.map { id in
            Self.outcome(id: id, statuses: items[index].tests[id]?.statuses ?? [])
        }
        let state = items[index].forced ?? Self.state(from: outcomes)
        items[index].final = state
        finalCount += 1
        count(state, estimate: items[index].estimate)
        actions.append(
            .itemFinal(
                ItemFinal(
                    item: items[index].item,
                    state: state,
                    tests: outcomes,
                    estimatedSeconds: items[index].estimate
                )
            )
        )
    }

    mutating func count(_ state: ItemFinalState, estimate: Double) {
        switch state {
        case .passed: summary.passed += 1
        case .failed: summary.failed += 1
        case .flaky: summary.flaky += 1
        case .skipped: summary.skipped += 1
        case .noTests: summary.noTests += 1
        case .timeout: summary.timeout += 1
        case .crashed: summary.crashed += 1
        case .noResults: summary.noResults += 1
        case .lost: summary.lost += 1
        case .notRun:
            summary.notRun += 1
            summary.notRunEstimatedSeconds += estimate
        }
    }

    static func outcome(id: String, statuses: [TestStatus]) -> TestOutcome {
        let verdict: TestOutcome.Verdict
        let last = statuses.last ?? .passed
        if statuses.contains(where: \.isFailure) {
            verdict = last == .passed ? .flaky : (last == .error ? .error : .failed)
        } else if statuses.allSatisfy({ $0 == .skipped }) {
            verdict = .skipped
        } else {
            verdict = .passed
        }
        return TestOutcome(id: id, verdict: verdict, attempts: statuses.count)
    }

    static func state(from outcomes: [TestOutcome]) -> ItemFinalState {
        if outcomes.isEmpty { return .noTests }
        if outcomes.contains(where: { $0.verdict == .failed || $0.verdict == .error }) { return .failed }
        if outcomes.contains(where: { $0.verdict == .flaky }) { return .flaky }
        if outcomes.contains(where: { $0.verdict == .passed }) { return .passed }
        return .skipped
    }

    /// A worker refused a shard: the refused items avoid it from now on; everything goes back.
    mutating func refuse(
        _ lease: Lease,
        reason: String,
        items named: [WorkItem],
        now: Double,
        into actions: inout [SchedulerAction]
    ) {
        closeLease(lease.key, disposition: .refused)
        let names = Set(named)
        var refused = lease.jobs.filter { names.contains(jobs[$0].workItem) }
        if refused.isEmpty { refused = lease.jobs }
        for job in refused {
            jobs[job].refusedBy.insert(lease.worker)
            jobs[job].refusalReason = reason
        }
        actions.append(
            .recordShardEnded(
                record(
                    lease,
                    disposition: .refused,
                    exit: ShardExit(kind: .refused, reason: reason),
                    now: now,
                    lastStartedItem: nil,
                    unfinished: lease.jobs
                )
            )
        )
        if let stopState {
            for job in lease.jobs { finishJob(job, endedAs: .notRun(stopState.reason.notRunReason), into: &actions) }
            return
        }
        if lease.pinned {
            put(
                lease.jobs,
                pinned: true,
                previousLease: lease.key,
                reason: .refused(reason),
                from: lease.key,
                now: now,
                into: &actions
            )
        } else {
            requeueFree(lease.jobs, reason: .refused(reason), from: lease.key, now: now, into: &actions)
        }
    }
}
