import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import TestShardConfig
import TestShardExecution
import TestShardModel
import TestShardNIOSupport
import TestShardProtocol

/// The worker process: connects to the coordinator (reconnecting with backoff), runs the shards it
/// is assigned with the suite's own command, streams results back, and leaves cleanly on `drain`
/// or on SIGTERM.
///
/// The protocol decisions live in `WorkerConnectionStateMachine`; this type is the shell that owns
/// the socket, the timers and the running processes.
public final class WorkerAgent: Sendable {
    /// How a worker process ends.
    public enum Exit: Int32, Sendable {
        /// Drained after a run (with `exitAfterRun`), or shut down by SIGTERM with its work finished
        /// or handed back.
        case clean = 0
        /// The coordinator refused this worker for good (wrong token, wrong version, policy), or
        /// could not be reached within `giveUpAfter`.
        case failed = 1
    }

    private let options: WorkerOptions
    /// This worker's warm pytest interpreters, kept between its shards.
    private let warmPytest: WarmPytestPool
    private let logger: Logger
    private let shutdown = Mutex<ShutdownState>(ShutdownState())

    private struct ShutdownState {
        var requested = false
        var reason = ""
        var listener: AsyncStream<SessionEvent>.Continuation?
    }

    public init(options: WorkerOptions, logger: Logger) {
        self.options = options
        self.warmPytest = WarmPytestPool(folder: options.scratchDirectory + "/warm-pytest")
        self.logger = logger
    }

    /// Asks the worker to stop taking work, finish or hand back what runs, and exit 0. Safe to call
    /// from a signal handler's task, any number of times.
    public func requestShutdown(reason: String) {
        let listener = shutdown.withLock { state -> AsyncStream<SessionEvent>.Continuation? in
            guard !state.requested else { return nil }
            state.requested = true
            state.reason = reason
            return state.listener
        }
        listener?.yield(.shutdownRequested)
    }

    private var shutdownRequested: Bool { shutdown.withLock { $0.requested } }

    /// Closes the idle warm interpreters and removes the scratch folder with everything in it; for
    /// the worker's exit, when the folder is its own. A shard still running (past its grace) keeps
    /// what it has open; its files are gone from the folder.
    public func removeScratch() {
        warmPytest.closeIdle()
        do {
            if FileManager.default.fileExists(atPath: options.scratchDirectory) {
                try FileManager.default.removeItem(atPath: options.scratchDirectory)
            }
        } catch {
            logger.warning(
                "could not remove the scratch folder",
                metadata: ["folder": "\(options.scratchDirectory)", "error": "\(error)"]
            )
        }
    }

    /// Runs until drained (with `exitAfterRun`), shut down, or refused for good.
    public func run() async -> Exit {
        var backoff = options.initialBackoff
        var unreachableSince: Double? = nil
        while !shutdownRequested {
            let outcome: SessionOutcome
            do {
                outcome = try await session()
            } catch {
                let now = Date().timeIntervalSince1970
                let since = unreachableSince ?? now
                unreachableSince = since
                if let limit = options.giveUpAfter, now - since >= limit {
                    logger.error(
                        "giving up: the coordinator at \(options.coordinator) was unreachable for \(Int(limit)) s",
                        metadata: ["error": "\(error)"]
                    )
                    return .failed
                }
                logger.info(
                    "cannot reach the coordinator; retrying",
                    metadata: [
                        "coordinator": "\(options.coordinator)", "error": "\(error)",
                        "retry_in_s": "\(String(format: "%.2f", backoff))",
                    ]
                )
                try? await Task.sleep(for: .seconds(jittered(backoff)))
                backoff = min(backoff * 2, options.maximumBackoff)
                continue
            }
            unreachableSince = nil
            switch outcome {
            case .drained(let reason):
                logger.info("run over", metadata: ["reason": "\(reason)"])
                warmPytest.closeIdle()
                if options.exitAfterRun { return .clean }
                backoff = options.initialBackoff
                try? await Task.sleep(for: .seconds(1))
            case .shutDown:
                return .clean
            case .refused(let error):
                logger.error("the coordinator refused this worker: \(error.description)")
                return .failed
            case .failedForGood(let error):
                logger.error("giving up: \(error.description)")
                return .failed
            case .lost(let reason):
                logger.warning("connection lost; reconnecting", metadata: ["reason": "\(reason)"])
                try? await Task.sleep(for: .seconds(jittered(backoff)))
                backoff = min(backoff * 2, options.maximumBackoff)
            }
        }
        logger.info("shut down")
        return .clean
    }

    private func jittered(_ seconds: Double) -> Double { seconds * Double.random(in: 0.8...1.2) }

    // MARK: - One connection

    enum SessionOutcome {
        case drained(String)
        case shutDown
        case refused(ProtocolError)
        /// The connection cannot work and retrying will not change that (a TLS certificate problem).
        case failedForGood(ProtocolError)
        case lost(String)
    }

    /// Everything that can happen during a connection, funnelled into one sequence so the state
    /// machine is driven from a single loop.
    enum SessionEvent: Sendable {
        case message(ProtocolMessage)
        case decodeFailed(ProtocolError)
        /// The transport failed under the protocol (TLS handshake, reset).
        case transportFailed(any Error)
        case inboundEnded
        case tick
        case shutdownRequested
        case shardStarted(ShardStartedMessage)
        case shardFinished(ShardAttemptRef, ShardOutcome, slot: Int)
    }

    private func session() async throws -> SessionOutcome {
        let tls = options.tls
        let serverHostname = WorkerTLS.serverHostname(for: options.coordinator.host)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .connect(host: options.coordinator.host, port: options.coordinator.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverHostname)
                        )
                    } else {
                        // If the coordinator uses TLS it answers a plain `hello` with a TLS alert: say so
                        // rather than let the frame decoder report a 352 MB frame.
                        try channel.pipeline.syncOperations.addHandler(
                            FirstReadGuardHandler(error: WorkerTLS.CoordinatorSpeaksTLS()) {
                                WorkerTLS.looksLikeTLSRecord($0)
                            }
                        )
                    }
                    try channel.pipeline.syncOperations.addTestShardProtocolHandlers()
                    return try NIOAsyncChannel<ProtocolMessage, ProtocolMessage>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        logger.debug("connected", metadata: ["coordinator": "\(options.coordinator)"])
        return try await channel.executeThenClose { inbound, outbound in
            let (events, continuation) = AsyncStream.makeStream(of: SessionEvent.self)
            let alreadyShuttingDown = shutdown.withLock { state -> Bool in
                state.listener = continuation
                return state.requested
            }
            defer { shutdown.withLock { $0.listener = nil } }
            if alreadyShuttingDown { continuation.yield(.shutdownRequested) }

            return await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await message in inbound { continuation.yield(.message(message)) }
                        continuation.yield(.inboundEnded)
                    } catch let error as ProtocolError {
                        continuation.yield(.decodeFailed(error))
                    } catch {
                        continuation.yield(.transportFailed(error))
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(250))
                        continuation.yield(.tick)
                    }
                }
                var driver = SessionDriver(
                    agent: self,
                    outbound: outbound,
                    events: continuation,
                    shutdownReason: { [self] in self.shutdown.withLock { $0.reason } }
                )
                let outcome = await driver.drive(events)
                await driver.stopAllShards()
                continuation.finish()
                group.cancelAll()
                return outcome
            }
        }
    }

    // MARK: - Running one shard

    fileprivate func execute(
        _ assign: AssignMessage,
        slot: Int,
        cancel: ProcessCancelHandle,
        events: AsyncStream<SessionEvent>.Continuation
    ) async {
        let suite = options.suite
        let ref = ShardAttemptRef(shardID: assign.shardID, attempt: assign.attempt)
        let scratch = options.scratchDirectory + "/\(assign.shardID)-a\(assign.attempt)"
        var profileOptions: [String] = []
        var environment = suite.env
        if let name = assign.profile {
            do {
                profileOptions = try suite.profile(named: name).options
                environment = suite.environment(profile: try suite.profile(named: name))
            } catch {
                let outcome = ShardOutcome(
                    exit: ShardExit(kind: .refused, reason: "\(error)"),
                    itemsWithoutResults: assign.items,
                    startedAt: Date().timeIntervalSince1970,
                    endedAt: Date().timeIntervalSince1970
                )
                events.yield(.shardFinished(ref, outcome, slot: slot))
                return
            }
        }
        // One read of this process's environment: the base the command starts from, and what the
        // thread limit must not override.
        let inherited = ProcessInfo.processInfo.environment
        if let limit = options.threadLimit {
            environment = limit.applied(to: environment, inherited: inherited)
        }
        let request = ShardRequest(
            suiteRoot: suite.root,
            command: suite.command,
            items: assign.items,
            include: suite.files,
            timeout: assign.timeoutSeconds,
            scratchDirectory: scratch,
            runner: ShardRunnerKind(rawValue: suite.runner.rawValue) ?? .junit,
            options: profileOptions,
            environment: environment,
            baseEnvironment: inherited,
            deselect: assign.deselect
        )
        let startedAt = Date().timeIntervalSince1970
        // The argv the executor will run, for the coordinator's execution log while it runs.
        let argv = suite.command.expand(
            items: assign.items.map(\.id),
            junitPath: scratch + "/" + ShardExecutor.ScratchFile.junit,
            itemsFile: scratch + "/" + ShardExecutor.ScratchFile.items,
            options: profileOptions
        )
        events.yield(
            .shardStarted(
                ShardStartedMessage(
                    shardID: assign.shardID,
                    attempt: assign.attempt,
                    slot: slot,
                    command: argv,
                    startedAt: startedAt
                )
            )
        )
        let executor = ShardExecutor(clock: { Date().timeIntervalSince1970 }, warmPytest: warmPytest)
        let outcome = await executor.run(request, cancel: cancel)
        events.yield(.shardFinished(ref, outcome, slot: slot))
        try? FileManager.default.removeItem(atPath: scratch)
    }

    fileprivate var workerOptions: WorkerOptions { options }
    fileprivate var log: Logger { logger }
}

/// The single loop of one connection: feeds the state machine, carries out its actions, keeps
/// the running shards and the heartbeat.
private struct SessionDriver {
    let agent: WorkerAgent
    let outbound: NIOAsyncChannelOutboundWriter<ProtocolMessage>
    let events: AsyncStream<WorkerAgent.SessionEvent>.Continuation
    let shutdownReason: @Sendable () -> String

    var machine: WorkerConnectionStateMachine
    var running: [ShardAttemptRef: RunningShard] = [:]
    var connectedAt = Date().timeIntervalSince1970
    var lastHeartbeat = 0.0
    var heartbeatInterval: Double? = nil
    var draining: String? = nil
    var shuttingDownSince: Double? = nil
    var outcome: WorkerAgent.SessionOutcome? = nil

    struct RunningShard {
        var slot: Int
        var cancel: ProcessCancelHandle
        var task: Task<Void, Never>
    }

    init(
        agent: WorkerAgent,
        outbound: NIOAsyncChannelOutboundWriter<ProtocolMessage>,
        events: AsyncStream<WorkerAgent.SessionEvent>.Continuation,
        shutdownReason: @escaping @Sendable () -> String
    ) {
        self.agent = agent
        self.outbound = outbound
        self.events = events
        self.shutdownReason = shutdownReason
        self.machine = WorkerConnectionStateMachine(
            configuration: .init(hello: agent.workerOptions.hello, token: agent.workerOptions.token)
        )
    }

    private var logger: Logger { agent.log }
    private var options: WorkerOptions { agent.workerOptions }

    mutating func drive(_ stream: AsyncStream<WorkerAgent.SessionEvent>) async -> WorkerAgent.SessionOutcome {
        await perform(machine.connected())
        for await event in stream {
            await handle(event)
            if let outcome { return outcome }
        }
        return outcome ?? .lost("the connection ended")
    }

    mutating func stopAllShards() async {
        for shard in running.values { shard.cancel.cancel() }
        for shard in running.values { await shard.task.value }
        running.removeAll()
    }

    private mutating func handle(_ event: WorkerAgent.SessionEvent) async {
        switch event {
        case .message(let message):
            await perform(machine.messageReceived(message))
        case .decodeFailed(let error):
            await perform(machine.decodeFailed(error))
        case .transportFailed(let error) where WorkerTLS.isTLSError(error):
            // The TLS failure says more than the machine's "closed during the handshake": log that.
            _ = machine.connectionClosed()
            outbound.finish()
            let (failure, fatal) = WorkerTLS.failure(error, coordinator: options.coordinator, files: options.tlsFiles)
            if fatal {
                outcome = .failedForGood(failure)
            } else {
                logger.warning("connection failed: \(failure.description)")
                outcome = .lost(failure.description)
            }
        case .transportFailed:
            await perform(machine.connectionClosed())
            if outcome == nil { outcome = .lost("the connection failed") }
        case .inboundEnded:
            await perform(machine.connectionClosed())
            if outcome == nil { outcome = .lost("the coordinator closed the connection") }
        case .tick:
            await tick()
        case .shutdownRequested:
            shuttingDownSince = Date().timeIntervalSince1970
            logger.info(
                "shutdown requested: taking no new work",
                metadata: ["running_shards": "\(running.count)", "grace_s": "\(Int(options.shutdownGrace))"]
            )
            await perform(machine.shutdownRequested(reason: shutdownReason()))
            if outcome == nil && machine.welcome == nil { outcome = .shutDown }
            await leaveIfIdle()
        case .shardStarted(let started):
            await send(.shardStarted(started))
        case .shardFinished(let ref, let result, let slot):
            guard running.removeValue(forKey: ref) != nil else { return }  // cancelled: not reported
            if result.exit.kind == .refused {
                logger.warning(
                    "refused shard \(ref.shardID)",
                    metadata: ["attempt": "\(ref.attempt)", "reason": "\(result.exit.reason ?? "")"]
                )
                await send(
                    .refuse(RefuseMessage(shardID: ref.shardID, attempt: ref.attempt, reason: result.exit.reason ?? ""))
                )
            } else {
                let failed = result.tests.filter { $0.status.isFailure }.count
                logger.info(
                    "finished shard \(ref.shardID)",
                    metadata: [
                        "attempt": "\(ref.attempt)", "slot": "\(slot)", "exit": "\(result.exit.kind.rawValue)",
                        "tests": "\(result.tests.count)", "failed": "\(failed)",
                        "seconds": "\(String(format: "%.1f", result.endedAt - result.startedAt))",
                    ]
                )
                await send(.shardResult(Self.message(ref, result, slot: slot)))
            }
            await leaveIfIdle()
        }
    }

    private mutating func tick() async {
        let now = Date().timeIntervalSince1970
        if machine.welcome == nil {
            if now - connectedAt > options.handshakeTimeout {
                await perform(machine.idleTimeout(seconds: now - connectedAt))
                if outcome == nil { outcome = .lost("no answer to the handshake") }
            }
            return
        }
        if let interval = heartbeatInterval, now - lastHeartbeat >= interval {
            lastHeartbeat = now
            await send(.heartbeat(HeartbeatMessage(running: running.keys.sorted { $0.shardID < $1.shardID })))
        }
        if let since = shuttingDownSince, now - since >= options.shutdownGrace, !running.isEmpty {
            logger.warning("shutdown grace over: handing back \(running.count) running shard(s)")
            let handedBack = running.keys.sorted { $0.shardID < $1.shardID }
            await stopAllShards()
            await perform(machine.readyToLeave(handedBack: handedBack))
            outcome = .shutDown
        }
    }

    /// After a drain or a shutdown request, leaves as soon as no shard runs.
    private mutating func leaveIfIdle() async {
        guard running.isEmpty, draining != nil || shuttingDownSince != nil, outcome == nil else { return }
        await perform(machine.readyToLeave(handedBack: []))
        if shuttingDownSince != nil {
            outcome = .shutDown
        } else {
            outcome = .drained(draining ?? "drained")
        }
    }

    private mutating func perform(_ action: WorkerConnectionStateMachine.Action) async {
        switch action {
        case .none:
            break
        case .sendHello(let hello):
            await send(.hello(hello))
        case .sendAuth(let auth):
            await send(.auth(auth))
        case .ready(let welcome):
            heartbeatInterval = welcome.heartbeatInterval
            lastHeartbeat = Date().timeIntervalSince1970
            logger.info(
                "joined run \(welcome.runID)",
                metadata: ["worker_id": "\(welcome.workerID)", "slots": "\(options.slots)"]
            )
        case .forward(let command):
            await carryOut(command)
        case .sendRefuse(let refuse):
            await send(.refuse(refuse))
        case .sendGoodbyeAndClose(let goodbye):
            await send(.goodbye(goodbye))
            outbound.finish()
        case .close:
            outbound.finish()
        case .fail(let error, let fatal):
            if fatal {
                outcome = .refused(error)
            } else {
                logger.warning("connection failed: \(error.description)")
                outcome = .lost(error.description)
            }
            outbound.finish()
        }
    }

    private mutating func carryOut(_ command: CoordinatorCommand) async {
        switch command {
        case .assign(let assign):
            let ref = ShardAttemptRef(shardID: assign.shardID, attempt: assign.attempt)
            let used = Set(running.values.map(\.slot))
            guard let slot = (0..<options.slots).first(where: { !used.contains($0) }), running[ref] == nil else {
                await send(
                    .refuse(
                        RefuseMessage(
                            shardID: assign.shardID,
                            attempt: assign.attempt,
                            reason: "no free slot: this worker already runs \(running.count) of \(options.slots)"
                        )
                    )
                )
                return
            }
            logger.info(
                "running shard \(assign.shardID)",
                metadata: [
                    "attempt": "\(assign.attempt)", "slot": "\(slot)", "items": "\(assign.items.count)",
                    "timeout_s": "\(Int(assign.timeoutSeconds))", "profile": "\(assign.profile ?? "-")",
                ]
            )
            let cancel = ProcessCancelHandle()
            let agent = self.agent
            let events = self.events
            let task = Task { await agent.execute(assign, slot: slot, cancel: cancel, events: events) }
            running[ref] = RunningShard(slot: slot, cancel: cancel, task: task)
        case .cancel(let cancel):
            // Stop the runner (SIGINT first: pytest still writes what finished) and report as usual:
            // when the run is stopping, the coordinator counts the finished tests; otherwise it
            // discards the answer, which costs nothing.
            let ref = ShardAttemptRef(shardID: cancel.shardID, attempt: cancel.attempt)
            guard let shard = running[ref] else { return }
            logger.info("cancelling shard \(cancel.shardID)", metadata: ["reason": "\(cancel.reason)"])
            shard.cancel.cancel()
        case .drain(let drain):
            draining = drain.reason
            await leaveIfIdle()
        }
    }

    private func send(_ message: ProtocolMessage) async {
        do {
            try await outbound.write(message)
        } catch {
            logger.debug("write failed", metadata: ["error": "\(error)"])
        }
    }

    static func message(_ ref: ShardAttemptRef, _ outcome: ShardOutcome, slot: Int) -> ShardResultMessage {
        ShardResultMessage(
            shardID: ref.shardID,
            attempt: ref.attempt,
            slot: slot,
            startedAt: outcome.startedAt,
            endedAt: outcome.endedAt,
            exit: outcome.exit,
            tests: outcome.tests,
            itemsWithoutResults: outcome.itemsWithoutResults,
            itemsWithoutTests: outcome.itemsWithoutTests,
            lastStartedItem: outcome.lastStartedItem,
            logTail: outcome.logTail,
            command: outcome.command,
            junitState: outcome.junitState.flatMap { JUnitState(rawValue: $0.rawValue) } ?? .missing,
            fileSeconds: outcome.fileSeconds
        )
    }
}
