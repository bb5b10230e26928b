import Foundation
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs `PYTHON -m pytest …` commands as children forked from interpreters kept warm between
/// shards (`PytestWarmStart`), so a shard does not pay for starting Python and importing pytest.
///
/// ```
///   worker ──request──> warm interpreter (pytest imported; ignores SIGINT; own session)
///          <─started PID─    └─fork─> child: setsid, log, folder, environment → pytest.console_main()
///   timeout / cancel ──> SIGINT, SIGTERM, SIGKILL to the child's group (as ProcessRunner does)
///          <─exited code/signal─  (the interpreter reaps it; the worker kills what the group left)
/// ```
///
/// One interpreter runs one shard at a time; a worker with several slots keeps one per slot
/// running a shard. Interpreters are kept per `Key` — program, folder and the environment the
/// shards share — and an interpreter whose key no longer matches the shard at hand is closed, as
/// is one idle longer than `maximumIdleSeconds` (60 s): what it imported may have been upgraded
/// on disk since (a worker serving nightly runs), and a run's shards follow each other within a
/// second. A worker also closes its idle interpreters when a run is over (`closeIdle`).
///
/// Anything that goes wrong before the child starts (the interpreter cannot import pytest, it
/// died, the fork failed) makes `run` return `nil`, and the caller runs the command cold; a key
/// whose interpreter could not import pytest is not tried again by this pool.
public final class WarmPytestPool: Sendable {
    /// The pool of a process that did not make its own: its folder is in the temporary directory.
    public static let shared = WarmPytestPool(
        folder: NSTemporaryDirectory() + "/testshard-warm-pytest-\(ProcessInfo.processInfo.processIdentifier)"
    )

    /// The worker environment variable that turns warm starts off (`0`).
    public static let switchVariable = "TESTSHARD_PYTEST_WARM"
    /// Variables that differ from shard to shard; they are not part of the interpreter's environment.
    static let perShardVariables: Set<String> = ["TESTSHARD_PROGRESS_FILE", "TESTSHARD_DESELECT_FILE"]

    /// What an interpreter is started with; shards with another key get another interpreter.
    struct Key: Hashable, Sendable {
        var program: String
        var workingDirectory: String
        var environment: [String: String]
    }

    private struct State {
        var idle: [(interpreter: WarmInterpreter, since: ContinuousClock.Instant)] = []
        var refused: Set<Key> = []
        var started = 0
        var wroteModule = false
    }

    /// Where the module and the interpreters' own logs (`interpreter-N.log`) are written.
    public let folder: String
    /// An interpreter idle longer than this is closed instead of used.
    public let maximumIdleSeconds: Double
    private let state = Mutex(State())

    public init(folder: String, maximumIdleSeconds: Double = 60) {
        self.folder = folder
        self.maximumIdleSeconds = maximumIdleSeconds
    }

    /// The pytest arguments of `arguments` when it is `PYTHON -m pytest …`, the only form run warm.
    static func pytestArguments(_ arguments: [String]) -> [String]? {
        guard arguments.count >= 3, arguments[1] == "-m", arguments[2] == "pytest" else { return nil }
        let program = URL(fileURLWithPath: arguments[0]).lastPathComponent
        guard program.hasPrefix("python") else { return nil }
        return Array(arguments.dropFirst(3))
    }

    /// Runs `spec` warm, or returns `nil` when it cannot (then run it cold).
    /// - Parameters:
    ///   - pluginFolder: the shard's folder at the head of `PYTHONPATH` in `spec.environment`; the
    ///     interpreter gets the pool's folder there instead, and the child the shard's.
    func run(
        _ spec: ProcessSpec,
        pluginFolder: String,
        cancel: ProcessCancelHandle?
    ) async -> ProcessOutcome? {
        guard let pytestArguments = Self.pytestArguments(spec.arguments),
            spec.environment[Self.switchVariable] != "0",
            let program = try? ProcessRunner.executablePath(spec.arguments[0], spec: spec)
        else { return nil }
        let key = Key(
            program: program,
            workingDirectory: spec.workingDirectory,
            environment: sharedEnvironment(spec.environment, pluginFolder: pluginFolder)
        )
        let request: [String: Any] = [
            "args": pytestArguments,
            "cwd": spec.workingDirectory,
            "env": spec.environment,
            "log": spec.logPath,
        ]
        guard let line = try? JSONSerialization.data(withJSONObject: request) else { return nil }
        // An idle interpreter may have died since its last shard (killed, out of memory): then the
        // shard gets a fresh one.
        while let (interpreter, fresh) = await checkout(key) {
            let outcome = await interpreter.run(Array(line) + [UInt8(ascii: "\n")], spec: spec, cancel: cancel)
            if interpreter.isHealthy { checkin(interpreter) } else { interpreter.close() }
            if outcome != nil || fresh { return outcome }
        }
        return nil
    }

    /// The shards' environment without what differs between them, with the pool's folder in place
    /// of the shard's at the head of `PYTHONPATH`.
    func sharedEnvironment(_ environment: [String: String], pluginFolder: String) -> [String: String] {
        var shared = environment.filter { !Self.perShardVariables.contains($0.key) }
        // No PYTHONPATH means no entries: an empty entry would be the current folder to Python.
        var path =
            (environment["PYTHONPATH"] ?? "").isEmpty
            ? [] : environment["PYTHONPATH"]!.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if path.first == pluginFolder { path.removeFirst() }
        shared["PYTHONPATH"] = ([folder] + path).joined(separator: ":")
        return shared
    }

    /// An idle interpreter for `key`, or a new one (`fresh`) once its imports are done; `nil` when
    /// none can be had. Idle interpreters of other keys, or that ended, are closed.
    private func checkout(_ key: Key) async -> (WarmInterpreter, fresh: Bool)? {
        let now = ContinuousClock.now
        let (found, stale, number, refused) = state.withLock {
            state -> (WarmInterpreter?, [WarmInterpreter], Int, Bool) in
            if state.refused.contains(key) { return (nil, [], 0, true) }
            func usable(_ entry: (interpreter: WarmInterpreter, since: ContinuousClock.Instant)) -> Bool {
                entry.interpreter.key == key && entry.interpreter.isHealthy
                    && now - entry.since <= .seconds(maximumIdleSeconds)
            }
            let stale = state.idle.filter { !usable($0) }.map(\.interpreter)
            state.idle.removeAll { !usable($0) }
            if let last = state.idle.popLast() { return (last.interpreter, stale, 0, false) }
            state.started += 1
            return (nil, stale, state.started, false)
        }
        for interpreter in stale { interpreter.close() }
        if refused { return nil }
        if let found { return (found, false) }
        guard writeModule() else { return nil }
        let interpreter = WarmInterpreter(
            key: key,
            arguments: PytestWarmStart.bootstrapArguments,
            logPath: folder + "/interpreter-\(number).log"
        )
        guard await interpreter.ready() else {
            interpreter.close()
            state.withLock { _ = $0.refused.insert(key) }
            return nil
        }
        return (interpreter, true)
    }

    private func checkin(_ interpreter: WarmInterpreter) {
        state.withLock { $0.idle.append((interpreter, ContinuousClock.now)) }
    }

    /// Closes every idle interpreter; one running a shard goes back to the pool when the shard ends
    /// and expires there. A worker calls it when a run is over.
    public func closeIdle() {
        let idle = state.withLock { state in
            defer { state.idle = [] }
            return state.idle.map(\.interpreter)
        }
        for interpreter in idle { interpreter.close() }
    }

    private func writeModule() -> Bool {
        state.withLock { state in
            if state.wroteModule { return true }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(PytestWarmStart.source.utf8).write(
                    to: URL(fileURLWithPath: folder + "/" + PytestWarmStart.moduleName + ".py"),
                    options: .atomic
                )
                state.wroteModule = true
                return true
            } catch {
                return false
            }
        }
    }
}

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
    private let replies: WarmReplies
    private let health = WarmHealth()

    init(key: WarmPytestPool.Key, arguments: [String], logPath: String) {
        self.key = key
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        self.requests = continuation
        let replies = WarmReplies()
        self.replies = replies
        let health = self.health
        Task.detached {
            await Self.live(
                key: key,
                arguments: arguments,
                logPath: logPath,
                requests: stream,
                finishRequests: continuation,
                replies: replies
            ) { processID in health.state.withLock { $0.processID = processID } }
            health.state.withLock { $0.failed = true }
        }
    }

    /// Whether it can take another shard.
    var isHealthy: Bool { !replies.isEnded && health.state.withLock { !$0.failed } }

    /// Waits for the imports; false when the interpreter ended or said it could not.
    func ready() async -> Bool {
        guard let reply = await replies.next(), reply.ready != nil else {
            health.state.withLock { $0.failed = true }
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
            health.state.withLock { $0.failed = true }
            return nil
        }
        let control = WarmRunControl(processID: processID)
        let (stops, stopContinuation) = AsyncStream<StopReason>.makeStream()
        let token = cancel?.register { stopContinuation.yield(.cancelled) }
        defer { cancel?.unregister(token) }

        let exit: WarmReply? = await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                if let timeout = spec.timeout {
                    group.addTask {
                        do {
                            try await Task.sleep(for: .seconds(max(0, timeout - (clock.now - started).seconds)))
                            stopContinuation.yield(.timeout)
                        } catch {}
                    }
                }
                group.addTask { [self] in
                    for await reason in stops {
                        guard control.stopRequested(reason) else { break }
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
            health.state.withLock { $0.failed = true }
            kill(-processID, SIGKILL)
            termination = .signaled(SIGKILL)
        }
        let stragglers = kill(-processID, SIGKILL) == 0
        return ProcessOutcome(
            termination: termination,
            timedOut: control.reason == .timeout,
            cancelled: control.reason == .cancelled,
            killedStragglers: stragglers,
            wallSeconds: (clock.now - started).seconds,
            processID: processID,
            logTail: LogTail.read(path: spec.logPath, maxLines: spec.tailLines)
        )
    }

    /// SIGINT, then SIGTERM, then SIGKILL to the child's group, each after its grace, until it has
    /// ended; if the interpreter does not report the end even then, it is killed too.
    private func teardown(_ control: WarmRunControl, spec: ProcessSpec) async {
        let steps: [(Int32, Double)] = [(SIGINT, spec.interruptGrace), (SIGTERM, spec.terminateGrace), (SIGKILL, 5)]
        for (signal, grace) in steps {
            guard control.signal(signal) else { return }
            do { try await Task.sleep(for: .seconds(grace)) } catch { return }
        }
        if !control.isFinished {
            health.state.withLock { state in
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

/// Whether a warm interpreter can take another shard, and its process id once started.
final class WarmHealth: Sendable {
    struct State {
        var processID: Int32? = nil
        var failed = false
    }

    let state = Mutex(State())
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

/// The state shared by the tasks of one warm run: the first stop reason, and whether the child's
/// end was reported (after which its group gets no signal from the teardown).
final class WarmRunControl: Sendable {
    private struct State {
        var reason: StopReason? = nil
        var isFinished = false
    }

    let processID: Int32
    private let state = Mutex(State())

    init(processID: Int32) {
        self.processID = processID
    }

    var reason: StopReason? { state.withLock { $0.reason } }
    var isFinished: Bool { state.withLock { $0.isFinished } }

    /// Records the first stop reason; returns whether a teardown should run.
    func stopRequested(_ reason: StopReason) -> Bool {
        state.withLock { state in
            guard !state.isFinished, state.reason == nil else { return false }
            state.reason = reason
            return true
        }
    }

    /// Sends `signal` to the child's group unless its end was reported; returns whether it did.
    func signal(_ signal: Int32) -> Bool {
        state.withLock { state in
            guard !state.isFinished else { return false }
            kill(-processID, signal)
            return true
        }
    }

    func finished() {
        state.withLock { $0.isFinished = true }
    }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
