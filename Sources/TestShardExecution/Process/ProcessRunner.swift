import Foundation
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs one command in its own session and process group, so that a timeout or a cancel reaches
/// everything it started, grandchildren included.
///
/// ```
///   spawn (setsid: pgid = sid = pid)    stdin /dev/null, stdout+stderr → log file
///        │
///        ├── exits by itself ───────────────────────────────────┐
///        │                                                       │
///        └── timeout / cancel ──> SIGINT to the group            │
///                                  └ interruptGrace ─> SIGTERM   │
///                                       └ terminateGrace ─> SIGKILL
///                                                                 v
///                           reap; SIGKILL to the group for anything left behind
/// ```
///
/// swift-subprocess 1.0.2 does the spawning (`createSession`) and the signalling: with
/// `toProcessGroup: true` it calls `kill(-pid, …)`, and with a new session the pid is the group id,
/// so the whole group is reached. Its teardown stops early once the leader has exited, which is
/// why stragglers get a final group SIGKILL after the leader is reaped. A process that creates its
/// own session or group escapes this, as it would any process-group based supervisor.
public struct ProcessRunner: Sendable {
    public init() {}

    /// Runs `spec` to its end (normal, timeout or cancel) and reports how it ended.
    /// - Throws: `ProcessRunnerError` only when the command could not be started at all.
    public func run(
        _ spec: ProcessSpec,
        cancel: ProcessCancelHandle? = nil
    ) async throws(ProcessRunnerError)
        -> ProcessOutcome
    {
        guard let program = spec.arguments.first, !program.isEmpty else {
            throw ProcessRunnerError(code: .spawnFailed, message: "the command is empty; configure a command to run")
        }
        let executable = Executable.path(FilePath(try Self.executablePath(program, spec: spec)))
        let log = try openLog(spec.logPath)
        // From here the log descriptor belongs to swift-subprocess (`closeAfterSpawningProcess`), which
        // closes it after the spawn and on every failed spawn. The runner must not close it again: a
        // second close hits whatever reused the number meanwhile — in a worker or a test process an
        // event loop's freshly accepted socket (NIO trapped in epoll_ctl with EBADF). Keeping it
        // instead (`closeAfterSpawningProcess: false`) is no way out: the duplicate made for
        // `.combinedWithOutput` inherits that flag and is never closed, one leak per command.

        let steps: [TeardownStep] = [
            .send(signal: .interrupt, toProcessGroup: true, allowedDurationToNextStep: .seconds(spec.interruptGrace)),
            .send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: .seconds(spec.terminateGrace)),
        ]
        var options = PlatformOptions()
        options.createSession = true
        // Used by swift-subprocess itself when the calling task is cancelled.
        options.teardownSequence = steps

        let control = RunControl<Execution<NoInput, FileDescriptorOutput, CombinedErrorOutput>>()
        let (stops, stopContinuation) = AsyncStream<StopReason>.makeStream()
        let token = cancel?.register { stopContinuation.yield(.cancelled) }
        defer { cancel?.unregister(token) }

        let clock = ContinuousClock()
        let started = clock.now
        let result: Result<TerminationStatus, SpawnFailure> = await withTaskGroup(of: Void.self) { group in
            if let timeout = spec.timeout {
                group.addTask {
                    do {
                        try await Task.sleep(for: .seconds(max(timeout, 0)))
                        stopContinuation.yield(.timeout)
                    } catch {}
                }
            }
            group.addTask {
                for await reason in stops {
                    if let execution = control.stopRequested(reason) {
                        await execution.teardown(using: steps)
                    }
                    break
                }
            }
            let result: Result<TerminationStatus, SpawnFailure>
            do {
                let finished = try await Subprocess.run(
                    executable,
                    arguments: Arguments(Array(spec.arguments.dropFirst())),
                    environment: .custom(
                        Dictionary(
                            uniqueKeysWithValues: spec.environment.map {
                                (Environment.Key(stringLiteral: $0.key), $0.value)
                            }
                        )
                    ),
                    workingDirectory: FilePath(spec.workingDirectory),
                    platformOptions: options,
                    input: .none,
                    output: .fileDescriptor(log, closeAfterSpawningProcess: true),
                    error: .combinedWithOutput
                ) { execution in
                    // A stop that arrived while the process was being spawned is carried out now.
                    if control.started(execution) {
                        await execution.teardown(using: steps)
                    }
                }
                result = .success(finished.terminationStatus)
            } catch {
                result = .failure(SpawnFailure(description: "\(error)"))
            }
            control.finished()
            stopContinuation.finish()
            group.cancelAll()
            return result
        }
        let elapsed = clock.now - started
        let processID = control.target?.processIdentifier.value

        switch result {
        case .failure(let error):
            if processID == nil {
                throw ProcessRunnerError(
                    code: .spawnFailed,
                    message: "could not start \(program) in \(spec.workingDirectory): \(error)"
                )
            }
            // Started but not observed to the end: report it as killed, never as a success.
            return Self.outcome(
                .signaled(SIGKILL),
                reason: control.reason,
                spec: spec,
                elapsed: elapsed,
                processID: processID ?? 0
            )
        case .success(let status):
            let termination: ProcessOutcome.Termination =
                switch status {
                case .exited(let code): .exited(code)
                case .signaled(let signal): .signaled(signal)
                }
            return Self.outcome(
                termination,
                reason: control.reason,
                spec: spec,
                elapsed: elapsed,
                processID: processID ?? 0
            )
        }
    }

    /// How a reaped command ended, once what its group left behind is killed; shared by cold and
    /// warm starts (`WarmInterpreter`).
    static func outcome(
        _ termination: ProcessOutcome.Termination,
        reason: StopReason?,
        spec: ProcessSpec,
        elapsed: Duration,
        processID: Int32
    ) -> ProcessOutcome {
        // The leader is reaped; members of its group may still run. The group id cannot be reused
        // while any member is alive, so this reaches only what the command left behind.
        let stragglers = processID > 0 && kill(-processID, SIGKILL) == 0
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return ProcessOutcome(
            termination: termination,
            timedOut: reason == .timeout,
            cancelled: reason == .cancelled || (reason == nil && Task.isCancelled),
            killedStragglers: stragglers,
            wallSeconds: seconds,
            processID: processID,
            logTail: LogTail.read(path: spec.logPath, maxLines: spec.tailLines)
        )
    }

    /// The program's path: `program` itself when it holds a `/` (relative to the working
    /// directory), otherwise the first executable of that name on the `PATH` of the environment.
    static func executablePath(_ program: String, spec: ProcessSpec) throws(ProcessRunnerError) -> String {
        if program.contains("/") {
            let path =
                program.hasPrefix("/")
                ? program : URL(fileURLWithPath: spec.workingDirectory).appendingPathComponent(program).path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw ProcessRunnerError(
                    code: .programNotFound,
                    message: "\(path) is not an executable file; fix the command's program path"
                )
            }
            return path
        }
        let searchPath = spec.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in searchPath.split(separator: ":") where folder.hasPrefix("/") {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ProcessRunnerError(
            code: .programNotFound,
            message: "\(program) was not found on PATH=\(searchPath); install it or use an absolute path in the command"
        )
    }

    private func openLog(_ path: String) throws(ProcessRunnerError) -> FileDescriptor {
        do {
            return try FileDescriptor.open(
                FilePath(path),
                .writeOnly,
                options: [.create, .truncate, .append, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead]
            )
        } catch {
            throw ProcessRunnerError(
                code: .logNotWritable,
                message: "cannot create the log file \(path): \(error); check the scratch directory"
            )
        }
    }
}
