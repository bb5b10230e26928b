import Foundation
import Testing

@testable import TestShardExecution

@Suite("ProcessRunner with real processes", .serialized)
struct ProcessRunnerTests {
    private func spec(
        _ script: String,
        in folder: TemporaryDirectory,
        timeout: Double? = nil,
        environment: [String: String] = minimalEnvironment,
        interruptGrace: Double = 1,
        terminateGrace: Double = 1
    ) -> ProcessSpec {
        ProcessSpec(
            arguments: ["sh", "-c", script],
            workingDirectory: folder.path,
            environment: environment,
            logPath: folder.path + "/out.log",
            timeout: timeout,
            interruptGrace: interruptGrace,
            terminateGrace: terminateGrace
        )
    }

    @Test func exitStatusIsReported() async throws {
        let folder = try TemporaryDirectory()
        let outcome = try await ProcessRunner().run(spec("exit 3", in: folder))
        #expect(outcome.termination == .exited(3))
        #expect(outcome.exitCode == 3)
        #expect(!outcome.timedOut)
        #expect(!outcome.cancelled)
    }

    @Test func crashSignalIsReported() async throws {
        let folder = try TemporaryDirectory()
        let outcome = try await ProcessRunner().run(spec("kill -SEGV $$", in: folder))
        #expect(outcome.termination == .signaled(SIGSEGV))
        #expect(outcome.signal == SIGSEGV)
    }

    @Test func outputAndErrorsGoToTheLogAndTheTailKeepsTheLastLines() async throws {
        let folder = try TemporaryDirectory()
        let script =
            "i=1; while [ $i -le 120 ]; do echo line $i; i=$((i+1)); done; echo 'to stderr' >&2; printf 'no newline'"
        let outcome = try await ProcessRunner().run(spec(script, in: folder))
        #expect(outcome.logTail.count == 50)
        #expect(outcome.logTail.first == "line 73")
        #expect(outcome.logTail.suffix(2) == ["to stderr", "no newline"])
        #expect(folder.read("out.log")?.hasPrefix("line 1\nline 2\n") == true)
    }

    @Test func environmentAndWorkingDirectoryAreExactlyWhatWasGiven() async throws {
        let folder = try TemporaryDirectory()
        var environment = minimalEnvironment
        environment["TESTSHARD_PROBE"] = "hello world"
        let script = "echo \"probe=$TESTSHARD_PROBE\"; echo \"user=${USER:-unset}\"; pwd; cat < /dev/stdin"
        let outcome = try await ProcessRunner().run(spec(script, in: folder, environment: environment))
        #expect(outcome.exitCode == 0)
        #expect(outcome.logTail == ["probe=hello world", "user=unset", folder.path])
    }

    @Test func programIsLookedUpOnTheGivenPath() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("bin/hello-testshard", "#!/bin/sh\necho found me\n")
        chmod(folder.path + "/bin/hello-testshard", 0o755)
        var environment = minimalEnvironment
        environment["PATH"] = folder.path + "/bin:" + (environment["PATH"] ?? "")
        var spec = spec("", in: folder, environment: environment)
        spec.arguments = ["hello-testshard"]
        let outcome = try await ProcessRunner().run(spec)
        #expect(outcome.logTail == ["found me"])
        spec.arguments = ["./bin/hello-testshard"]
        #expect(try await ProcessRunner().run(spec).logTail == ["found me"])
    }

    @Test func missingProgramIsAnErrorNamingIt() async throws {
        let folder = try TemporaryDirectory()
        var spec = spec("", in: folder)
        spec.arguments = ["no-such-program-testshard", "--version"]
        let error = await #expect(throws: ProcessRunnerError.self) { try await ProcessRunner().run(spec) }
        #expect(error?.code == .programNotFound)
        #expect(error?.message.contains("no-such-program-testshard") == true)
    }

    /// The grandchild ignores SIGINT (a background job of a non-interactive shell does) and its
    /// parent dies of it: only the group teardown plus the sweep after the leader's exit reach it.
    @Test func timeoutKillsTheWholeProcessGroupIncludingGrandchildren() async throws {
        let folder = try TemporaryDirectory()
        let script =
            "sleep 300 & echo $! > grandchild.pid; python3 -c 'import time; time.sleep(300)' & echo $! > child.pid; wait"
        let outcome = try await ProcessRunner().run(spec(script, in: folder, timeout: 1))
        #expect(outcome.timedOut)
        let grandchild = try #require(
            folder.read("grandchild.pid").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        )
        let child = try #require(
            folder.read("child.pid").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        )
        #expect(
            await eventually { processIsGone(grandchild) && processIsGone(child) && processIsGone(outcome.processID) }
        )
    }

    @Test func teardownSendsInterruptFirstSoTheCommandCanFinishUp() async throws {
        let folder = try TemporaryDirectory()
        let script = """
            trap 'echo interrupted > marker; exit 0' INT
            echo started
            while true; do sleep 0.1; done
            """
        let outcome = try await ProcessRunner().run(spec(script, in: folder, timeout: 1))
        #expect(outcome.timedOut)
        #expect(outcome.termination == .exited(0))
        #expect(folder.read("marker") == "interrupted\n")
    }

    @Test func commandIgnoringInterruptAndTerminateIsKilled() async throws {
        let folder = try TemporaryDirectory()
        let script = "trap '' INT TERM; echo stubborn; while true; do sleep 0.1; done"
        let outcome = try await ProcessRunner().run(
            spec(script, in: folder, timeout: 0.5, interruptGrace: 0.5, terminateGrace: 0.5)
        )
        #expect(outcome.timedOut)
        #expect(outcome.termination == .signaled(SIGKILL))
        #expect(outcome.logTail == ["stubborn"])
    }

    @Test func cancelHandleStopsARunningCommand() async throws {
        let folder = try TemporaryDirectory()
        let handle = ProcessCancelHandle()
        // A long interrupt grace: on a loaded machine a 1 s grace can pass before sh acts on SIGINT,
        // and the escalation to SIGTERM is not what this test is about. Short sleeps in a loop, not
        // one `sleep 30`: a SIGINT that reaches sh after `echo up` but before it starts the sleep
        // (a fresh-clone CI run hit that window) is then acted on within 0.1 s, where `sleep 30`
        // ran out its 30 s and met the SIGTERM of the 30 s grace.
        let spec = spec("echo up; while :; do sleep 0.1; done", in: folder, timeout: 60, interruptGrace: 30)
        async let outcome = ProcessRunner().run(spec, cancel: handle)
        #expect(await eventually { folder.read("out.log") == "up\n" })
        handle.cancel()
        let result = try await outcome
        #expect(result.cancelled)
        #expect(!result.timedOut)
        #expect(result.termination == .signaled(SIGINT))
    }

    @Test func handleCancelledBeforeTheRunStopsItAtOnce() async throws {
        let folder = try TemporaryDirectory()
        let handle = ProcessCancelHandle()
        handle.cancel()
        let outcome = try await ProcessRunner().run(spec("sleep 30", in: folder, timeout: 60), cancel: handle)
        #expect(outcome.cancelled)
        #expect(outcome.signal != nil)
    }

    @Test func cancellingTheCallingTaskTearsTheCommandDown() async throws {
        let folder = try TemporaryDirectory()
        let spec = spec("echo up; sleep 30", in: folder, timeout: 60)
        let task = Task { try await ProcessRunner().run(spec) }
        #expect(await eventually { folder.read("out.log") == "up\n" })
        task.cancel()
        let outcome = try await task.value
        #expect(outcome.cancelled)
        #expect(outcome.signal != nil)
    }

    @Test func leftoverBackgroundProcessesAreKilledAfterANormalExit() async throws {
        let folder = try TemporaryDirectory()
        let outcome = try await ProcessRunner().run(spec("sleep 300 & echo $! > bg.pid; exit 0", in: folder))
        #expect(outcome.exitCode == 0)
        #expect(outcome.killedStragglers)
        let pid = try #require(
            folder.read("bg.pid").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        )
        #expect(await eventually { processIsGone(pid) })
    }

    /// A command that cannot be started, or that runs, leaves no descriptor open and closes none it
    /// does not own.
    /// The runner used to close the log after swift-subprocess had already closed it on a failed
    /// spawn: the second close hit whatever had reused the number meanwhile — in a test process an
    /// event loop's accepted socket, and NIO trapped in `epoll_ctl` with EBADF. A thread here keeps
    /// opening descriptors while spawns fail; each must still be open when the thread checks it.
    @Test func theLogDescriptorIsClosedExactlyOnce() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("not-a-program", "this file is executable but not a program\n")
        chmod(folder.path + "/not-a-program", 0o755)
        var notExecutable = spec("", in: folder)
        notExecutable.arguments = [folder.path + "/not-a-program"]
        var noFolder = spec("true", in: folder)
        noFolder.workingDirectory = folder.path + "/no-such-folder"

        let churn = DescriptorChurn()
        churn.start()
        for _ in 0..<150 {
            for failing in [notExecutable, noFolder] {
                await #expect(throws: ProcessRunnerError.self) { try await ProcessRunner().run(failing) }
            }
            #expect(try await ProcessRunner().run(spec("true", in: folder)).exitCode == 0)
        }
        let closedUnderTheThread = churn.stop()
        #expect(closedUnderTheThread == 0, "descriptors of another thread were closed by the runner")
        // Only this test's own files: other tests of the process open and close descriptors meanwhile.
        #expect(descriptors(into: folder.path).isEmpty, "log descriptors left open")
        // The check sees a descriptor that is open.
        let probe = open(folder.path + "/out.log", O_RDONLY | O_CLOEXEC)
        #expect(descriptors(into: folder.path).count == 1)
        close(probe)
    }
}

/// The descriptors of this process open on files under `folder`.
private func descriptors(into folder: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return entries.compactMap { entry in
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry),
            target.hasPrefix(folder + "/")
        else { return nil }
        return target
    }
}

/// Opens `/dev/null`, yields, checks the descriptor is still open, closes it — over and over on a
/// thread of its own, counting the descriptors someone else closed in between.
private final class DescriptorChurn: @unchecked Sendable {
    private let lock = NSLock()
    private var running = true
    private var closedUnderUs = 0
    private let done = DispatchSemaphore(value: 0)

    func start() {
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { continue }
                sched_yield()
                if fcntl(fd, F_GETFD) == -1 && errno == EBADF {
                    lock.withLock { closedUnderUs += 1 }
                } else {
                    close(fd)
                }
            }
            done.signal()
        }
    }

    func stop() -> Int {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { closedUnderUs }
    }
}
