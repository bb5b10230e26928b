import Foundation
import Synchronization

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
