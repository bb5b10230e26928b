import Foundation
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// What a warm interpreter says, one JSON object per line (`PytestWarmStart`).
struct WarmReply: Decodable, Sendable, Equatable {
    var ready: Int32?
    var started: Int32?
    var exited: Int32?
    var code: Int32?
    var signal: Int32?
    var error: String?
}

/// One warm interpreter: a long-lived `PYTHON -c …` process fed requests on its standard input.
final class WarmInterpreter: Sendable {
    let key: WarmPytestPool.Key
    private let requests: AsyncStream<[UInt8]>.Continuation
    private let replies = WarmReplies()
    private let health = Mutex(Health())

    private struct Health {
        var processID: Int32? = nil
        var failed = false
    }

    init(key: WarmPytestPool.Key, arguments: [String], logPath: String) {
        self.key = key
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        self.requests = continuation
        Task.detached { [self] in
            await Self.live(
                key: key,
                arguments: arguments,
                logPath: logPath,
                requests: stream,
                finishRequests: continuation,
                replies: replies
            ) { processID in self.health.withLock { $0.processID = processID } }
            health.withLock { $0.failed = true }
        }
    }

    /// Whether it can take another shard.
    var isHealthy: Bool { !replies.isEnded && health.withLock { !$0.failed } }

    /// Waits for the imports; false when the interpreter ended or said it could not.
    func ready() async -> Bool {
        guard let reply = await replies.next(), reply.ready != nil else {
            health.withLock { $0.failed = true }
            return false
        }
        return true
    }

    /// Ends the interpreter: its input ends, and it exits once its current child (if any) is reaped.
    func close() {
        requests.finish()
    }

    /// Runs one request to its end; `nil` when no child started (run it cold).
    func run(_ request: [UInt8], spec: ProcessSpec, cancel: ProcessCancelHandle?) async -> ProcessOutcome? {
        let clock = ContinuousClock()
        let started = clock.now
        requests.yield(request)
        guard let reply = await replies.next(), let processID = reply.started else {
            health.withLock { $0.failed = true }
            return nil
        }
        let control = RunControl<Int32>(started: processID)
        let (stops, stopContinuation) = AsyncStream<StopReason>.makeStream()
        let token = cancel?.register { stopContinuation.yield(.cancelled) }
        defer { cancel?.unregister(token) }

        let exit: WarmReply? = await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                if let timeout = spec.timeout {
                    group.addTask {
                        do {
                            try await clock.sleep(until: started + .seconds(max(0, timeout)))
                            stopContinuation.yield(.timeout)
                        } catch {}
                    }
                }
                group.addTask { [self] in
                    for await reason in stops {
                        guard control.stopRequested(reason) != nil else { break }
                        await teardown(control, spec: spec)
                        break
                    }
                }
                let exit = await replies.next()
                control.finished()
                stopContinuation.finish()
                group.cancelAll()
                return exit
            }
        } onCancel: {
            stopContinuation.yield(.cancelled)
        }

        let termination: ProcessOutcome.Termination
        if let exit, exit.exited == processID {
            termination = exit.signal.map { .signaled($0) } ?? .exited(exit.code ?? -1)
        } else {
            // The interpreter ended with its child running, or said something else: this child's
            // end is unknown, so end it and report it killed, never as a success.
            health.withLock { $0.failed = true }
            kill(-processID, SIGKILL)
            termination = .signaled(SIGKILL)
        }
        return ProcessRunner.outcome(
            termination,
            reason: control.reason,
            spec: spec,
            elapsed: clock.now - started,
            processID: processID
        )
    }

    /// SIGINT, then SIGTERM, then SIGKILL to the child's group, each after its grace, until it has
    /// ended; if the interpreter does not report the end even then, it is killed too.
    private func teardown(_ control: RunControl<Int32>, spec: ProcessSpec) async {
        let steps: [(Int32, Double)] = [(SIGINT, spec.interruptGrace), (SIGTERM, spec.terminateGrace), (SIGKILL, 5)]
        for (signal, grace) in steps {
            guard control.whileRunning({ kill(-$0, signal) }) else { return }
            do { try await Task.sleep(for: .seconds(grace)) } catch { return }
        }
        if !control.isFinished {
            health.withLock { state in
                state.failed = true
                if let processID = state.processID { kill(processID, SIGKILL) }
            }
        }
    }

    private static func live(
        key: WarmPytestPool.Key,
        arguments: [String],
        logPath: String,
        requests: AsyncStream<[UInt8]>,
        finishRequests: AsyncStream<[UInt8]>.Continuation,
        replies: WarmReplies,
        started: @escaping @Sendable (Int32) -> Void
    ) async {
        defer { replies.end() }
        guard
            let log = try? FileDescriptor.open(
                FilePath(logPath),
                .writeOnly,
                options: [.create, .truncate, .append, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead]
            )
        else { return }
        var options = PlatformOptions()
        options.createSession = true
        _ = try? await Subprocess.run(
            .path(FilePath(key.program)),
            arguments: Arguments(arguments),
            environment: .custom(
                Dictionary(
                    uniqueKeysWithValues: key.environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) }
                )
            ),
            workingDirectory: FilePath(key.workingDirectory),
            platformOptions: options,
            input: .inputWriter,
            output: .sequence,
            error: .fileDescriptor(log, closeAfterSpawningProcess: true)
        ) { execution in
            started(execution.processIdentifier.value)
            let writer = execution.standardInputWriter
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    let decoder = JSONDecoder()
                    do {
                        for try await line in execution.standardOutput.strings() {
                            if let reply = try? decoder.decode(WarmReply.self, from: Data(line.utf8)) {
                                replies.push(reply)
                            }
                        }
                    } catch {}
                    replies.end()
                    finishRequests.finish()
                }
                for await request in requests {
                    do { _ = try await writer.write(request) } catch { break }
                }
                _ = try? await writer.finish()
                await group.waitForAll()
            }
        }
    }
}

/// Replies in the order they came, for one reader at a time.
final class WarmReplies: Sendable {
    private struct State {
        var buffered: [WarmReply] = []
        var waiter: CheckedContinuation<WarmReply?, Never>? = nil
        var ended = false
    }

    private let state = Mutex(State())

    func push(_ reply: WarmReply) {
        let waiter = state.withLock { state -> CheckedContinuation<WarmReply?, Never>? in
            if state.ended { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.buffered.append(reply)
            return nil
        }
        waiter?.resume(returning: reply)
    }

    /// No more replies: a waiting and every later `next()` gets `nil` once the buffer is empty.
    func end() {
        let waiter = state.withLock { state -> CheckedContinuation<WarmReply?, Never>? in
            state.ended = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Whether the interpreter's output ended (it exited or is exiting).
    var isEnded: Bool { state.withLock { $0.ended } }

    func next() async -> WarmReply? {
        await withCheckedContinuation { continuation in
            let now: WarmReply?? = state.withLock { state in
                if !state.buffered.isEmpty { return .some(state.buffered.removeFirst()) }
                if state.ended { return .some(nil) }
                state.waiter = continuation
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }
}
