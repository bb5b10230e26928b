import Foundation
import Logging
import TestShardMetrics
import TestShardModel
import TestShardProtocol
import TestShardScheduler
import TestShardStore

/// The coordinator's shell around the scheduler for one run: it turns worker connections and
/// reports into scheduler events, and carries out the scheduler's actions — messages to workers,
/// rows in SQLite, log lines — in order, one `switch`.
///
/// An actor, so every event is handled to the end (scheduler step, then its actions) before the next
/// one starts. Store writes are synchronous and short (one transaction per shard result).
actor RunEngine {
    /// What a connection task must do for the engine.
    enum ConnectionCommand: Sendable {
        /// Write this message to the worker.
        case send(ProtocolMessage)
        /// Close the connection without telling the engine again: the engine already let go of it
        /// (a newer connection of the same worker replaced it).
        case close(reason: String)
    }

    /// A registered worker's connection.
    struct Connection {
        /// Which TCP connection this is: a worker that reconnects keeps its name, not this.
        var id: UUID
        var hello: HelloMessage
        var peer: String
        var joinedAt: Double
        /// When the worker last sent anything on this connection, fenced messages included: it says
        /// whether the *connection* is alive. The scheduler's `lastSeen` answers another question —
        /// whether the worker still does its work — and ignores a late result of an expired lease,
        /// which a connection back from a partition does send.
        var lastHeard: Double
        var sink: AsyncStream<ConnectionCommand>.Continuation
    }

    /// What the run knows about itself that the engine needs.
    struct Context: Sendable {
        var runID: String
        var profile: String?
        var revision: String?
        var requireSameRevision: Bool
        var heartbeatInterval: Double
        var leaseTimeout: Double
        /// Tests of split files: left out of their file's whole-file (remainder) item.
        var splitTests: [String: [WorkItem]] = [:]

        /// The split-out tests of every file that also runs as a whole-file item.
        static func splitTests(of items: [WorkItem]) -> [String: [WorkItem]] {
            let whole = Set(items.filter(\.isWholeFile).map(\.file))
            return Dictionary(grouping: items.filter { !$0.isWholeFile && whole.contains($0.file) }, by: \.file)
        }
    }

    private var scheduler: SchedulerStateMachine
    private let store: HistoryStore
    /// Store writes queued by `writeSoon`, in order.
    private var pendingWrites: [(HistoryStore) throws -> Void] = []
    private let context: Context
    private let logger: Logger
    private let clock: @Sendable () -> Double

    private var connections: [WorkerID: Connection] = [:]
    private var everJoined: Set<WorkerID> = []
    /// The last result message per lease, so the stored row gets what only the worker knows (slot,
    /// log tail, JUnit state) when the scheduler accepts it.
    private var results: [LeaseKey: ShardResultMessage] = [:]
    /// `shard_started` per lease: slot and start time for rows of shards that end without a result.
    private var started: [LeaseKey: ShardStartedMessage] = [:]
    private var pendingFinals: [String: StoredRunItem.Outcome] = [:]
    private var finishedSummary: RunSummary?
    private let finished: AsyncStream<RunSummary>.Continuation
    /// Counters for progress and metrics that the scheduler does not keep.
    private(set) var counters = Counters()

    struct Counters: Sendable {
        var authFailures = 0
        var workersJoined = 0
        var workersLost = 0
        var shardDurations = DurationHistogram()
        var testsFailed = 0
        var testsRecorded = 0
    }

    init(
        scheduler: SchedulerStateMachine,
        store: HistoryStore,
        context: Context,
        logger: Logger,
        clock: @escaping @Sendable () -> Double,
        finished: AsyncStream<RunSummary>.Continuation
    ) {
        self.scheduler = scheduler
        self.store = store
        self.context = context
        self.logger = logger
        self.clock = clock
        self.finished = finished
    }

    // MARK: - Events from the shells

    /// Starts the scheduler's clocks (a run with nothing to do finishes at once).
    func start() {
        apply(scheduler.start(now: clock()))
    }

    /// An authenticated worker asks to join. Returns the welcome to send, or the refusal.
    func register(
        _ hello: HelloMessage,
        peer: String,
        connection connectionID: UUID,
        sink: AsyncStream<ConnectionCommand>.Continuation
    ) -> Result<WelcomeMessage, ProtocolError> {
        let id = WorkerID(hello.workerName)
        let now = clock()
        if let existing = connections[id], now - existing.lastHeard > context.leaseTimeout {
            // A worker cut off longer than its TCP's patience reconnects while this side still holds
            // the dead connection (TCP may take minutes to notice). Its leases have expired; the new,
            // authenticated connection replaces the silent one. A live connection keeps the name.
            logger.warning(
                "worker reconnected; dropping its silent connection",
                metadata: [
                    "worker": "\(id)", "silent_s": "\(Int(now - existing.lastHeard))", "old_peer": "\(existing.peer)",
                    "peer": "\(peer)",
                ]
            )
            existing.sink.yield(.close(reason: "worker \(id) reconnected from \(peer)"))
            connectionClosed(id, connection: existing.id)
        }
        if connections[id] != nil {
            return .failure(
                ProtocolError(
                    code: .workerRefused,
                    message: "a worker named \("\"" + LogText.oneLine(hello.workerName) + "\"") is already connected; "
                        + "give each worker its own --name"
                )
            )
        }
        if finishedSummary != nil {
            return .failure(ProtocolError(code: .shuttingDown, message: "run \(context.runID) is over"))
        }
        if let mine = context.revision, let theirs = hello.revision, mine != theirs {
            let message =
                "worker \(hello.workerName) has revision \(theirs.prefix(12)) but the coordinator has "
                + "\(mine.prefix(12))"
            if context.requireSameRevision {
                logger.warning("refusing worker: \(message)")
                return .failure(
                    ProtocolError(code: .workerRefused, message: message + " (--require-same-revision)")
                )
            }
            logger.warning("revision mismatch: \(message); its results may not match this checkout")
        }
        connections[id] = Connection(
            id: connectionID,
            hello: hello,
            peer: peer,
            joinedAt: now,
            lastHeard: now,
            sink: sink
        )
        everJoined.insert(id)
        counters.workersJoined += 1
        write {
            try $0.recordWorker(
                StoredWorker(
                    runID: context.runID,
                    workerID: id.rawValue,
                    name: hello.workerName,
                    host: hello.hostname,
                    slots: hello.slots,
                    revision: hello.revision,
                    joinedAt: now
                )
            )
        }
        logger.info(
            "worker joined",
            metadata: [
                "worker": "\(id)", "host": "\(hello.hostname)", "slots": "\(hello.slots)", "peer": "\(peer)",
                "run": "\(context.runID)",
            ]
        )
        let welcome = WelcomeMessage(
            workerID: id.rawValue,
            heartbeatInterval: context.heartbeatInterval,
            leaseTimeout: context.leaseTimeout,
            runID: context.runID
        )
        // The welcome goes out before any assignment the join triggers.
        sink.yield(.send(.welcome(welcome)))
        apply(scheduler.workerJoined(id, slots: hello.slots, now: now))
        return .success(welcome)
    }

    /// A report from a registered worker on `connection` (ignored when another connection of the
    /// worker replaced that one). Returns an error when the report names a shard attempt this
    /// worker was never handed — one that was never handed out, or another worker's: the report is
    /// discarded, nothing of it is counted or stored, and the caller closes the connection with the
    /// error (a peer that does this is not a working TestShard worker). A late report of the
    /// worker's own ended attempt is only fenced off, and the connection stays.
    func received(_ report: WorkerReport, from worker: WorkerID, connection: UUID) -> ProtocolError? {
        guard connections[worker]?.id == connection else { return nil }
        let now = clock()
        connections[worker]?.lastHeard = now
        switch report {
        case .heartbeat(let heartbeat):
            var running: [RunningShard] = []
            for ref in heartbeat.running {
                guard let key = lease(ref.shardID, ref.attempt) else {
                    return Self.unparsableShard(ref.shardID, in: .heartbeat, from: worker)
                }
                running.append(RunningShard(key))
            }
            return applyFencing(scheduler.heartbeatReceived(worker, running: running, now: now), worker, .heartbeat)
        case .shardStarted(let message):
            guard let key = lease(message.shardID, message.attempt) else {
                return Self.unparsableShard(message.shardID, in: .shardStarted, from: worker)
            }
            let actions = scheduler.shardStarted(worker, lease: key, command: message.command, now: now)
            if Self.violation(in: actions) == nil { started[key] = message }
            return applyFencing(actions, worker, .shardStarted)
        case .shardResult(let message):
            guard let key = lease(message.shardID, message.attempt) else {
                return Self.unparsableShard(message.shardID, in: .shardResult, from: worker)
            }
            let report = ShardReport(
                tests: message.tests,
                itemsWithoutResults: message.itemsWithoutResults,
                itemsWithoutTests: message.itemsWithoutTests,
                lastStartedItem: message.lastStartedItem,
                exit: message.exit,
                wallSeconds: max(0, message.endedAt - message.startedAt),
                attributedSeconds: message.fileSeconds.values.reduce(0, +)
            )
            let actions = scheduler.shardResultReceived(worker, lease: key, report: report, now: now)
            // Kept while the actions are carried out: the stored row takes what only the worker knows.
            // Not for a violation: nothing of such a report is stored.
            if Self.violation(in: actions) == nil { results[key] = message }
            defer { results[key] = nil }
            return applyFencing(actions, worker, .shardResult)
        case .refuse(let message):
            guard let key = lease(message.shardID, message.attempt) else {
                return Self.unparsableShard(message.shardID, in: .refuse, from: worker)
            }
            let actions = scheduler.shardRefused(worker, lease: key, reason: message.reason, now: now)
            if Self.violation(in: actions) == nil {
                logger.warning(
                    "worker refused a shard",
                    metadata: [
                        "worker": "\(worker)", "shard": "\(key)", "reason": "\(LogText.oneLine(message.reason))",
                    ]
                )
            }
            return applyFencing(actions, worker, .refuse)
        case .goodbye(let goodbye):
            logger.info(
                "worker leaving",
                metadata: [
                    "worker": "\(worker)", "reason": "\(LogText.oneLine(goodbye.reason))",
                    "handed_back": "\(goodbye.handedBack.count)",
                ]
            )
            apply(scheduler.workerDraining(worker, now: now))
            return nil
        }
    }

    /// Carries out `actions`, except that a report naming an attempt the worker was never handed is
    /// turned into the error to close its connection with (the caller logs that one line), instead
    /// of a discard log line and a stored row.
    private func applyFencing(_ actions: [SchedulerAction], _ worker: WorkerID, _ type: MessageType) -> ProtocolError? {
        guard let violation = Self.violation(in: actions) else {
            apply(actions)
            return nil
        }
        apply(actions.filter { if case .discard = $0 { false } else { true } })
        let lease = violation.lease.map { "\($0.shard)#\($0.attempt)" } ?? "a shard"
        let why: String =
            switch violation.reason {
            case .foreignWorker(let owner): "which is held by worker \(Self.quoted(owner.rawValue))"
            default: "which this coordinator never handed out"
            }
        return ProtocolError(
            code: .unknownShard,
            message: "worker \(Self.quoted(worker.rawValue)) sent a \(type.rawValue) for shard attempt \(lease), "
                + "\(why); the message was discarded and nothing of it counted"
        )
    }

    /// The discard in `actions` that means the worker named an attempt it was never handed.
    private static func violation(in actions: [SchedulerAction]) -> DiscardedMessage? {
        for action in actions {
            guard case .discard(let discarded) = action else { continue }
            switch discarded.reason {
            case .unknownLease, .foreignWorker: return discarded
            case .unknownWorker, .alreadyAccepted, .leaseEnded, .runFinished: continue
            }
        }
        return nil
    }

    /// A peer-supplied name for a message: quoted, one line, short.
    private static func quoted(_ text: String) -> String { "\"" + LogText.oneLine(text, limit: 80) + "\"" }

    private static func unparsableShard(_ shardID: String, in type: MessageType, from worker: WorkerID) -> ProtocolError
    {
        ProtocolError(
            code: .unknownShard,
            message: "worker \(Self.quoted(worker.rawValue)) sent a \(type.rawValue) for shard "
                + "\(Self.quoted(shardID)), which is not a shard this coordinator hands out (s0001, s0002, …); "
                + "the message was discarded"
        )
    }

    /// A registered worker's connection closed (ignored when it is not the worker's current one).
    func connectionClosed(_ worker: WorkerID, connection connectionID: UUID) {
        guard connections[worker]?.id == connectionID, let connection = connections.removeValue(forKey: worker)
        else { return }
        connection.sink.finish()
        let now = clock()
        let leases = scheduler.leases(of: worker)
        let lostWork = finishedSummary == nil && !leases.isEmpty
        if lostWork {
            counters.workersLost += 1
            logger.warning(
                "worker lost with shards running",
                metadata: ["worker": "\(worker)", "shards": "\(leases.map(\.description).joined(separator: ","))"]
            )
        } else {
            logger.info("worker left", metadata: ["worker": "\(worker)"])
        }
        write {
            try $0.recordWorker(
                StoredWorker(
                    runID: context.runID,
                    workerID: worker.rawValue,
                    name: connection.hello.workerName,
                    host: connection.hello.hostname,
                    slots: connection.hello.slots,
                    revision: connection.hello.revision,
                    joinedAt: connection.joinedAt,
                    leftAt: now,
                    state: lostWork ? .lost : .left,
                    reason: lostWork ? "connection lost with \(leases.count) shard(s) running" : nil
                )
            )
        }
        apply(scheduler.workerLost(worker, now: now))
    }

    /// A connection failed authentication (for metrics).
    func authenticationFailed() {
        counters.authFailures += 1
    }

    /// Time passes.
    func tick() {
        apply(scheduler.tick(now: clock()))
        flushFinals()
    }

    /// Stops the run from outside (SIGINT/SIGTERM on the coordinator, or the deadline).
    func stop(reason: StopReason, grace: Double?) {
        apply(scheduler.stop(reason: reason, grace: grace, now: clock()))
    }

    /// Tells every connected worker the run is over.
    func drainAll(reason: String) {
        for connection in connections.values {
            connection.sink.yield(.send(.drain(DrainMessage(reason: reason))))
        }
    }

    var connectedWorkers: Int { connections.count }

    func snapshot() -> SchedulerSnapshot { scheduler.snapshot(now: clock()) }

    /// What `/metrics` shows now.
    func metricsSnapshot() -> MetricsSnapshot {
        let state = scheduler.snapshot(now: clock())
        let phase: MetricsSnapshot.Phase =
            switch state.phase {
            case .notStarted, .holding: .starting
            case .running: .running
            case .stopping: .stopping
            case .finished: .finished
            }
        var metrics = MetricsSnapshot(runID: context.runID, phase: phase)
        metrics.itemsTotal = state.itemsTotal
        metrics.itemsFinal = state.itemsFinal
        metrics.itemsFailed = state.itemsFailed
        metrics.itemsFlaky = state.itemsFlaky
        metrics.queuedItems = state.queuedUnits
        metrics.queuedEstimatedSeconds = state.queuedEstimatedSeconds
        metrics.runningLeases = state.runningLeases
        metrics.workersConnected = connections.count
        metrics.totalSlots = state.totalSlots
        metrics.freeSlots = state.freeSlots
        metrics.etaSeconds = state.etaSeconds
        metrics.requeues = state.requeues
        metrics.discardedMessages = state.discardedMessages
        metrics.retriesScheduled = state.retriesScheduled
        metrics.authFailures = counters.authFailures
        metrics.workersJoined = counters.workersJoined
        metrics.workersLost = counters.workersLost
        metrics.testsRecorded = counters.testsRecorded
        metrics.testsFailed = counters.testsFailed
        metrics.shardDurations = counters.shardDurations
        metrics.runsStarted = 1
        metrics.runsFinished = finishedSummary == nil ? 0 : 1
        return metrics
    }

    // MARK: - Actions

    private func apply(_ actions: [SchedulerAction]) {
        for action in actions {
            switch action {
            case .assign(let worker, let assignment):
                guard let connection = connections[worker] else {
                    // The scheduler only assigns to joined workers; a race with a close is settled by
                    // the `workerLost` that follows.
                    logger.debug("assignment for a worker that just left", metadata: ["worker": "\(worker)"])
                    continue
                }
                logger.debug(
                    "assign",
                    metadata: [
                        "worker": "\(worker)", "shard": "\(assignment.lease)", "items": "\(assignment.items.count)",
                        "estimate_s": "\(String(format: "%.1f", assignment.estimatedSeconds))",
                        "kind": "\(assignment.kind.rawValue)",
                    ]
                )
                connection.sink.yield(
                    .send(
                        .assign(
                            AssignMessage(
                                shardID: assignment.shard.description,
                                attempt: assignment.attempt,
                                items: assignment.items,
                                timeoutSeconds: assignment.timeout,
                                profile: context.profile,
                                deselect: Self.deselect(for: assignment.items, splitTests: context.splitTests)
                            )
                        )
                    )
                )
            case .cancel(let worker, let lease, let reason):
                logger.info(
                    "cancelling shard",
                    metadata: ["worker": "\(worker)", "shard": "\(lease)", "reason": "\(reason)"]
                )
                connections[worker]?.sink.yield(
                    .send(
                        .cancel(
                            CancelMessage(shardID: lease.shard.description, attempt: lease.attempt, reason: "\(reason)")
                        )
                    )
                )
            case .discard(let discarded):
                logger.warning("\(discarded.description)", metadata: ["run": "\(context.runID)"])
                if discarded.kind == .result, let key = discarded.lease, let message = results[key] {
                    recordDiscardedResult(message, lease: key, worker: discarded.worker, reason: discarded.reason)
                }
            case .recordAccepted(let record):
                if [.timeout, .crash, .noResults].contains(record.exit.kind) {
                    let what =
                        switch record.exit.kind {
                        case .timeout: "shard timed out"
                        case .crash: "shard crashed"
                        default: "shard ended without a result file"
                        }
                    logger.warning(
                        "\(what)",
                        metadata: [
                            "shard": "\(record.lease)", "worker": "\(record.worker)",
                            "last_item": "\(record.lastStartedItem?.id ?? "-")",
                            "reason": "\(LogText.oneLine(record.exit.reason ?? ""))",
                        ]
                    )
                }
                recordShard(record)
            case .recordShardEnded(let record):
                logger.warning(
                    "shard ended without a result",
                    metadata: [
                        "shard": "\(record.lease)", "worker": "\(record.worker)",
                        "how": "\(record.disposition.rawValue)", "exit": "\(record.exit.kind.rawValue)",
                    ]
                )
                recordShard(record)
            case .itemsRequeued(let items, let reason, let lease):
                logger.info(
                    "requeued",
                    metadata: ["items": "\(items.count)", "from": "\(lease)", "reason": "\(reason)"]
                )
            case .testRetryScheduled(let test, _, let attempt, let avoiding):
                logger.info(
                    "retrying failed test",
                    metadata: [
                        "test": "\(test)", "attempt": "\(attempt)",
                        "avoiding": "\(avoiding.map(\.rawValue).joined(separator: ","))",
                    ]
                )
            case .itemFinal(let final):
                pendingFinals[final.item.id] = Self.outcome(final)
            case .notice(let notice):
                log(notice)
            case .runFinished(let summary):
                writePending()
                flushFinals()
                finishedSummary = summary
                finished.yield(summary)
                finished.finish()
            }
        }
    }

    private func log(_ notice: SchedulerNotice) {
        switch notice {
        case .dispatchStarted(let joined, let expected):
            logger.info("dispatch started", metadata: ["workers": "\(joined)", "expected": "\(expected)"])
        case .workerUnresponsive(let worker):
            logger.warning(
                "worker unresponsive: no work goes to it until it speaks again",
                metadata: ["worker": "\(worker)"]
            )
        case .retryBudgetExhausted(let test):
            logger.warning("retry budget spent; not retrying", metadata: ["test": "\(test)"])
        case .stopping(let reason, let cancelAt):
            logger.warning(
                "run stopping: no new work",
                metadata: [
                    "reason": "\(reason.rawValue)",
                    "cancel_running_in_s": "\(cancelAt.map { String(format: "%.0f", max(0, $0 - clock())) } ?? "-")",
                ]
            )
        }
    }

    /// The split-out tests to leave out of the assignment's whole-file items: those not in the
    /// assignment itself (pytest runs a test named both alone and through its file only once).
    static func deselect(for items: [WorkItem], splitTests: [String: [WorkItem]]) -> [WorkItem] {
        guard !splitTests.isEmpty else { return [] }
        let present = Set(items)
        return items.filter(\.isWholeFile).flatMap { splitTests[$0.file] ?? [] }.filter { !present.contains($0) }
    }

    // MARK: - Recording

    private func recordShard(_ record: ShardRecord) {
        let message = results[record.lease]
        let startedMessage = started.removeValue(forKey: record.lease)
        let worker = connections[record.worker]?.hello
        let attempt = StoredShardAttempt(
            runID: context.runID,
            shardID: record.lease.shard.number,
            attempt: record.lease.attempt,
            workerID: record.worker.rawValue,
            workerName: worker?.workerName ?? record.worker.rawValue,
            workerHost: worker?.hostname,
            slot: message?.slot ?? startedMessage?.slot,
            items: record.items.map(\.id),
            command: record.command ?? message?.command ?? startedMessage?.command ?? [],
            startedAt: message?.startedAt ?? record.startedAt ?? record.assignedAt,
            endedAt: message?.endedAt ?? record.endedAt,
            timeoutSeconds: nil,
            exit: record.exit,
            logTail: message?.logTail ?? [],
            junitState: message?.junitState.rawValue,
            accepted: true
        )
        if record.disposition == .accepted {
            counters.shardDurations.record(seconds: (attempt.endedAt ?? attempt.startedAt) - attempt.startedAt)
            counters.testsRecorded += record.tests.count
            counters.testsFailed += record.tests.filter { $0.result.status.isFailure }.count
        }
        let tests =
            record.tests.map { StoredTestAttempt(result: $0.result, in: attempt, retryIndex: $0.attempt - 1) }
            + record.unattributedTests.map { StoredTestAttempt(result: $0, in: attempt, retryIndex: 0) }
        let samples = Self.samples(
            record,
            fileSeconds: message?.fileSeconds ?? [:],
            worker: record.worker.rawValue,
            at: clock()
        )
        writeSoon { try $0.recordShardAttempt(attempt, tests: tests, samples: samples) }
    }

    private func recordDiscardedResult(
        _ message: ShardResultMessage,
        lease: LeaseKey,
        worker: WorkerID,
        reason: DiscardedMessage.Reason
    ) {
        let attempt = StoredShardAttempt(
            runID: context.runID,
            shardID: lease.shard.number,
            attempt: lease.attempt,
            workerID: worker.rawValue,
            workerName: connections[worker]?.hello.workerName ?? worker.rawValue,
            workerHost: connections[worker]?.hello.hostname,
            slot: message.slot,
            items: message.tests.map(\.file),
            command: message.command,
            startedAt: message.startedAt,
            endedAt: message.endedAt,
            exit: ShardExit(
                kind: message.exit.kind,
                code: message.exit.code,
                signal: message.exit.signal,
                reason: "discarded: \(reason)"
            ),
            logTail: message.logTail,
            junitState: message.junitState.rawValue,
            accepted: false
        )
        write { _ = try $0.recordShardAttempt(attempt, tests: [], samples: []) }
    }

    /// Duration samples from an accepted shard: one per test, and one per whole-file item (the sum
    /// of its tests, or the seconds the worker measured the file taking when more) — only complete
    /// runs count; the store keeps failed ones out of the windows.
    static func samples(
        _ record: ShardRecord,
        fileSeconds: [String: Double] = [:],
        worker: String,
        at now: Double
    ) -> [MeasuredDuration] {
        guard record.disposition == .accepted else { return [] }
        var samples: [MeasuredDuration] = []
        var perItem: [WorkItem: (seconds: Double, worst: TestStatus)] = [:]
        for test in record.tests {
            let result = test.result
            samples.append(
                MeasuredDuration(
                    item: result.id,
                    duration: result.duration,
                    outcome: StoredSample.Outcome(result.status),
                    recordedAt: now,
                    worker: worker
                )
            )
            guard test.item.isWholeFile else { continue }
            let current = perItem[test.item] ?? (0, .skipped)
            perItem[test.item] = (current.seconds + result.duration, max(current.worst, result.status))
        }
        for (item, total) in perItem.sorted(by: { $0.key < $1.key }) {
            // What the file cost the process (collection and tests start to finish) when the worker
            // measured it: for small files several times their tests' JUnit times, and what a shard
            // actually pays for them.
            let measured = fileSeconds[item.file].flatMap { $0.isFinite && $0 >= 0 ? $0 : nil } ?? 0
            samples.append(
                MeasuredDuration(
                    item: item.id,
                    duration: max(total.seconds, measured),
                    outcome: StoredSample.Outcome(total.worst == .skipped ? .passed : total.worst),
                    recordedAt: now,
                    worker: worker
                )
            )
        }
        return samples
    }

    private func flushFinals() {
        guard !pendingFinals.isEmpty else { return }
        let finals = pendingFinals
        pendingFinals = [:]
        write { try $0.recordItemFinalStates(runID: context.runID, finals) }
    }

    static func outcome(_ final: ItemFinal) -> StoredRunItem.Outcome {
        switch final.state {
        case .passed: StoredRunItem.Outcome(.passed)
        case .failed: StoredRunItem.Outcome(.failed)
        case .flaky: StoredRunItem.Outcome(.flaky)
        case .skipped: StoredRunItem.Outcome(.skipped)
        case .noTests: StoredRunItem.Outcome(.noTests)
        case .timeout: StoredRunItem.Outcome(.timeout, reason: "timeout")
        case .crashed: StoredRunItem.Outcome(.crashed, reason: "crash")
        case .noResults: StoredRunItem.Outcome(.noResults, reason: "no results")
        case .lost: StoredRunItem.Outcome(.lost, reason: "lost worker")
        case .notRun(let reason): StoredRunItem.Outcome(.notRun, reason: reason.description)
        }
    }

    /// Runs a store write, after any still pending; a failure is logged, never fatal for the run (the
    /// report is still written from memory-backed state where it can be).
    private func write(_ write: (HistoryStore) throws -> Void) {
        writePending()
        perform(write)
    }

    /// Queues a shard's record (its tests and samples: the largest write), to be written by a task
    /// of its own once the current call is done, and in any case before any other write. The
    /// connection that reported the shard is waiting for this call to return before it sends the
    /// worker its next assignment; on 850-file shards the write held it back 0.2-0.4 s.
    private func writeSoon(_ write: @escaping (HistoryStore) throws -> Void) {
        pendingWrites.append(write)
        if pendingWrites.count == 1 { Task { self.writePending() } }
    }

    private func writePending() {
        let writes = pendingWrites
        pendingWrites = []
        for write in writes { perform(write) }
    }

    private func perform(_ write: (HistoryStore) throws -> Void) {
        do {
            try write(store)
        } catch {
            logger.error("history write failed", metadata: ["error": "\(error)", "run": "\(context.runID)"])
        }
    }

    // MARK: - Parsing leases from the wire

    /// The lease a message names, or `nil` when its shard id is not one this coordinator writes.
    private func lease(_ shardID: String, _ attempt: Int) -> LeaseKey? {
        ShardID(shardID).map { LeaseKey(shard: $0, attempt: attempt) }
    }
}

extension StoredSample.Outcome {
    init(_ status: TestStatus) {
        switch status {
        case .passed: self = .passed
        case .failed: self = .failed
        case .error: self = .error
        case .skipped: self = .skipped
        }
    }
}
