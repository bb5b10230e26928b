import Foundation
import TestShardConfig
import TestShardModel
import TestShardPlanner
import TestShardScheduler
import TestShardStore

/// What a run will do before it starts: a new run over the selected files, a rerun of part of an
/// earlier run, or the continuation of a run whose coordinator died (`--resume`).
struct PreparedRun {
    var runID: String
    var kind: StoredRun.Kind
    var parentRunID: String?
    var startedAt: Double
    var items: [EstimatedItem]
    /// For `--resume`: what the previous coordinator recorded.
    var resume: SchedulerResumeState?
    /// Items that cannot even be collected (pre-flight): expected, recorded, never scheduled.
    var collectionErrors: [Preflight.Finding] = []

    /// What the scheduler hands out: every item but the pre-flight failures.
    var scheduled: [EstimatedItem] {
        let broken = Set(collectionErrors.map(\.file))
        return items.filter { !broken.contains($0.item.id) }
    }

    /// A new run (or rerun): records the run and its expected items.
    static func fresh(
        _ options: RunOptions,
        configuration: SuiteConfiguration,
        store: HistoryStore,
        now: Double
    ) throws -> PreparedRun {
        let runID = StoredRun.makeID(startedAt: now, suffix: CoordinatorRun.randomSuffix())
        let items: [EstimatedItem]
        var collectionErrors: [Preflight.Finding] = []
        var kind = StoredRun.Kind.run
        var parent: String? = nil
        if let rerun = options.rerun {
            kind = .rerun
            parent = rerun.parentRunID
            items = try rerunItems(rerun, store: store, testItems: configuration.runner.supportsTestItems)
        } else {
            let all = try Inventory.discover(configuration)
            let files = try RunSelection(
                categories: options.categories,
                files: options.files,
                filesFrom: options.filesFrom,
                changedSince: options.changedSince
            ).select(from: all, configuration: configuration)
            items = try splitItems(
                files,
                store: store,
                slots: options.expectedSlots,
                testItems: configuration.runner.cutsLongFiles
            )
            if configuration.runner == .pytest && !options.skipPreflight {
                collectionErrors = Preflight.check(files: files, root: configuration.root, store: store, now: now)
            }
        }
        try store.beginRun(
            StoredRun(
                id: runID,
                kind: kind,
                parentRunID: parent,
                startedAt: now,
                suite: configuration.name,
                root: configuration.root,
                gitRevision: GitInfo.revision(root: configuration.root),
                profile: options.profile,
                categories: options.categories.sorted(),
                expectedItems: items.count,
                coordinatorHost: ProcessInfo.processInfo.hostName
            )
        )
        try store.recordExpectedItems(
            runID: runID,
            items: items.map { ExpectedItem(item: $0.item.id, estimate: $0.estimatedSeconds) }
        )
        if !collectionErrors.isEmpty {
            try store.recordItemFinalStates(
                runID: runID,
                Dictionary(
                    collectionErrors.map {
                        ($0.file, StoredRunItem.Outcome(.notRun, reason: "collection error", detail: $0.message))
                    },
                    uniquingKeysWith: { first, _ in first }
                )
            )
        }
        return PreparedRun(
            runID: runID,
            kind: kind,
            parentRunID: parent,
            startedAt: now,
            items: items,
            resume: nil,
            collectionErrors: collectionErrors
        )
    }

    /// The run's items with estimates: whole files, except that a file longer than the ideal shard
    /// (total / slots) with per-test history is cut into its tests — the only way such a run gets
    /// faster — plus the file itself as a remainder item that runs its other tests (new ones, or
    /// ones without history; the worker deselects the split-out tests there).
    static func splitItems(
        _ files: [String],
        store: HistoryStore,
        slots: Int,
        testItems: Bool
    ) throws -> [EstimatedItem] {
        guard testItems, slots > 1, !files.isEmpty else {
            let estimates = try CoordinatorRun.estimate(files, store: store)
            return files.map { EstimatedItem(WorkItem($0), estimatedSeconds: estimates[$0]?.seconds ?? 1) }
        }
        let (planFiles, plan) = try HistoryPlanning.plan(files, store: store, planner: Planner(shardCount: slots))
        let split = Set(plan.splitFiles)
        var items: [EstimatedItem] = []
        for file in planFiles {
            guard split.contains(file.path) else {
                items.append(EstimatedItem(WorkItem(file.path), estimatedSeconds: file.estimate.seconds))
                continue
            }
            for test in file.tests {
                items.append(EstimatedItem(WorkItem(file: file.path, test: test.name), estimatedSeconds: test.seconds))
            }
            // The remainder: tests of the file that have no history yet (usually none).
            items.append(EstimatedItem(WorkItem(file.path), estimatedSeconds: 0.1))
        }
        return items
    }

    /// `--resume RUN_ID`: the same run id, the same expected items; what was final stays final and
    /// accepted results are replayed so nothing finished runs again.
    static func resumed(_ runID: String, store: HistoryStore) throws -> PreparedRun {
        let stored = try store.resumeRun(id: runID)
        let items = stored.items.sorted { $0.position < $1.position }
            .map { EstimatedItem(WorkItem($0.item), estimatedSeconds: $0.estimate ?? 1) }
        var finals: [WorkItem: ItemFinalState] = [:]
        for item in stored.items {
            // Lost and not-run items (an interrupted run's leftovers) run again; results stay.
            if let state = item.finalState, state != .lost, state != .notRun,
                let final = Self.finalState(state, reason: item.reason)
            {
                finals[WorkItem(item.item)] = final
            }
        }
        let itemSet = Set(items.map(\.item))
        var testsByShard: [String: [StoredTestAttempt]] = [:]
        for test in stored.testAttempts {
            testsByShard["\(test.shardID ?? 0)#\(test.shardAttempt ?? 1)", default: []].append(test)
        }
        var accepted: [ShardRecord] = []
        var lastShard = 0
        for attempt in stored.shardAttempts.sorted(by: { ($0.startedAt, $0.shardID) < ($1.startedAt, $1.shardID) }) {
            lastShard = max(lastShard, attempt.shardID)
            guard attempt.accepted, ![.lost, .cancelled, .refused].contains(attempt.exit.kind) else { continue }
            let shardItems = attempt.items.map(WorkItem.init(_:))
            let tests = (testsByShard["\(attempt.shardID)#\(attempt.attempt)"] ?? []).compactMap {
                test -> RecordedTest? in
                let result = test.result
                let item =
                    shardItems.first { $0.id == result.id || (!$0.isWholeFile && result.id.hasPrefix($0.id + "[")) }
                    ?? shardItems.first { $0.isWholeFile && $0.file == result.file }
                guard let item, itemSet.contains(item) else { return nil }
                return RecordedTest(result: result, item: item, attempt: test.retryIndex + 1)
            }
            accepted.append(
                ShardRecord(
                    lease: LeaseKey(shard: ShardID(number: attempt.shardID), attempt: attempt.attempt),
                    worker: WorkerID(attempt.workerID),
                    items: shardItems,
                    kind: .batch,
                    disposition: .accepted,
                    exit: attempt.exit,
                    assignedAt: attempt.startedAt,
                    startedAt: attempt.startedAt,
                    endedAt: attempt.endedAt ?? attempt.startedAt,
                    command: attempt.command,
                    lastStartedItem: nil,
                    tests: tests,
                    unattributedTests: [],
                    unfinishedItems: []
                )
            )
        }
        return PreparedRun(
            runID: runID,
            kind: stored.run.kind,
            parentRunID: stored.run.parentRunID,
            startedAt: stored.run.startedAt,
            items: items,
            resume: SchedulerResumeState(finalItems: finals, accepted: accepted, lastShardNumber: lastShard)
        )
    }

    /// The items `rerun --from` runs: failed tests as `path::test` items (files without a result
    /// whole), tests that passed only on a retry, or one shard's items.
    /// - Parameter testItems: whether the runner can run one test of a file; when not (`junit`),
    ///   a failed or flaky test reruns its whole file.
    static func rerunItems(_ rerun: RerunSelection, store: HistoryStore, testItems: Bool) throws -> [EstimatedItem] {
        guard try store.run(id: rerun.parentRunID) != nil else {
            let known = try store.runs(limit: 5).map(\.id)
            throw CoordinatorRun.SetupError(
                "--from \(rerun.parentRunID): no such run; recent runs: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
            )
        }
        var chosen: [WorkItem] = []
        switch rerun.what {
        case .failed, .flaky:
            let attempts = try store.testAttempts(runID: rerun.parentRunID)
            var statuses: [String: [TestStatus]] = [:]
            var order: [String] = []
            for attempt in attempts.sorted(by: { ($0.testID, $0.retryIndex) < ($1.testID, $1.retryIndex) }) {
                if statuses[attempt.testID] == nil { order.append(attempt.testID) }
                statuses[attempt.testID, default: []].append(attempt.status)
            }
            for id in order {
                let history = statuses[id] ?? []
                let everFailed = history.contains { $0.isFailure }
                let lastFailed = history.last?.isFailure ?? false
                let pick = rerun.what == .failed ? lastFailed : (everFailed && !lastFailed)
                if pick { chosen.append(WorkItem(id)) }
            }
            if rerun.what == .failed {
                let withoutResult: Set<StoredRunItem.State> = [.timeout, .crashed, .noResults, .lost, .notRun]
                for item in try store.runItems(runID: rerun.parentRunID) {
                    guard let state = item.finalState, withoutResult.contains(state) else { continue }
                    chosen.append(WorkItem(WorkItem(item.item).file))
                }
            }
        case .shard:
            guard let text = rerun.shard, let shard = ShardID(text) else {
                throw CoordinatorRun.SetupError("--shard \(rerun.shard ?? ""): expected a shard id like s0042")
            }
            let attempts = try store.shardAttempts(runID: rerun.parentRunID).filter { $0.shardID == shard.number }
            guard let attempt = attempts.first else {
                throw CoordinatorRun.SetupError("run \(rerun.parentRunID) has no shard \(text)")
            }
            chosen = attempt.items.map(WorkItem.init(_:))
        }
        if !testItems { chosen = chosen.map { WorkItem($0.file) } }
        // A whole file covers its tests: drop test items of files that rerun whole.
        let wholeFiles = Set(chosen.filter(\.isWholeFile).map(\.file))
        var seen = Set<WorkItem>()
        chosen = chosen.filter { ($0.isWholeFile || !wholeFiles.contains($0.file)) && seen.insert($0).inserted }
        guard !chosen.isEmpty else {
            throw CoordinatorRun.SetupError(
                "run \(rerun.parentRunID) has nothing to rerun with --\(rerun.what.rawValue)"
            )
        }
        let windows = try store.durationWindows(items: chosen.map(\.id))
        let estimator = Estimator()
        return chosen.map { item in
            let figure = windows[item.id].flatMap { estimator.figure(newestFirst: $0) }
            return EstimatedItem(item, estimatedSeconds: figure ?? 1)
        }
    }

    static func finalState(_ state: StoredRunItem.State, reason: String?) -> ItemFinalState? {
        switch state {
        case .passed: .passed
        case .failed: .failed
        case .flaky: .flaky
        case .skipped: .skipped
        case .noTests: .noTests
        case .timeout: .timeout
        case .crashed: .crashed
        case .noResults: .noResults
        case .lost: .lost
        case .notRun:
            switch reason ?? "" {
            case "deadline": .notRun(.deadline)
            case "no workers": .notRun(.noWorkers)
            case let text where text.hasPrefix("refused"): .notRun(.refused(String(text.dropFirst("refused: ".count))))
            default: .notRun(.cancelled)
            }
        }
    }
}
