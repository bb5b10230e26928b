import Foundation
import TestShardModel
import Testing

@testable import TestShardExecution

/// Warm starts with real pytest: which process a shard's tests run in, and that they see what a
/// cold `python3 -m pytest` would have given them.
@Suite("Warm pytest starts", .serialized)
struct WarmPytestPoolTests {
    static let pytest = "python3 -m pytest -q -p no:cacheprovider --junitxml={junit} {files}"
    let include = GlobSet(include: [try! Glob("tests/**/test_*.py")])

    /// A test that writes what its process looks like to `$PROBE`.
    static let probe = """
        import json, os, sys

        def test_probe():
            with open(os.environ["PROBE"], "w") as out:
                json.dump({
                    "ppid": os.getppid(), "own_session": os.getsid(0) == os.getpid(),
                    "own_group": os.getpgid(0) == os.getpid(), "cwd": os.getcwd(), "path": sys.path,
                    "argv0": sys.argv[0], "value": os.environ.get("VALUE"),
                    "progress": os.environ.get("TESTSHARD_PROGRESS_FILE"),
                    "stdin": os.readlink("/proc/self/fd/0"),
                }, out)
        """

    struct Probe: Decodable {
        var ppid: Int32
        var own_session: Bool
        var own_group: Bool
        var cwd: String
        var path: [String]
        var argv0: String
        var value: String?
        var progress: String?
        var stdin: String
    }

    private func run(
        _ suite: TemporaryDirectory,
        pool: WarmPytestPool,
        environment: [String: String] = [:],
        base: [String: String] = minimalEnvironment,
        shard: String = "s"
    ) async throws -> (ShardOutcome, Probe?) {
        let probe = suite.path + "/probe.json"
        try? FileManager.default.removeItem(atPath: probe)
        let request = ShardRequest(
            suiteRoot: suite.path,
            command: try CommandTemplate(Self.pytest),
            items: ["tests/test_probe.py"],
            include: include,
            timeout: 600,
            scratchDirectory: suite.path + "/.scratch-\(shard)",
            runner: .pytest,
            environment: environment.merging(["PROBE": probe]) { own, _ in own },
            baseEnvironment: base
        )
        let outcome = await ShardExecutor(clock: { 0 }, warmPytest: pool).run(request)
        let data = FileManager.default.contents(atPath: probe)
        return (outcome, try data.map { try JSONDecoder().decode(Probe.self, from: $0) })
    }

    @Test func shardsRunAsChildrenOfOneWarmInterpreterAndSeeWhatAColdStartGives() async throws {
        let suite = try TemporaryDirectory("warm")
        try suite.write("tests/test_probe.py", Self.probe)
        let pool = WarmPytestPool(folder: suite.path + "/.warm")
        let (cold, coldProbe) = try await run(suite, pool: pool, environment: [WarmPytestPool.switchVariable: "0"])
        let (first, one) = try await run(suite, pool: pool)
        let (second, two) = try await run(suite, pool: pool)
        for outcome in [cold, first, second] {
            #expect(outcome.exit.kind == .ok, "\(outcome.logTail)")
            #expect(outcome.tests.map(\.id) == ["tests/test_probe.py::test_probe"])
        }
        let reference = try #require(coldProbe)
        #expect(reference.ppid == getpid())
        let parent = try #require(one?.ppid)
        #expect(parent != getpid())
        #expect(two?.ppid == parent)
        for probe in [one, two].compactMap({ $0 }) {
            #expect(probe.own_session && probe.own_group)
            #expect(probe.cwd == reference.cwd && probe.path == reference.path && probe.argv0 == reference.argv0)
            #expect(probe.stdin == reference.stdin)
            #expect(probe.progress == reference.progress)
        }
        // The shard's own plugin folder is on the path, not the pool's.
        #expect(one?.path.contains(suite.path + "/.scratch-s/" + ShardExecutor.ScratchFile.pluginFolder) == true)
        #expect(one?.path.contains(pool.folder) == false)
    }

    @Test func anotherEnvironmentGetsAnotherInterpreter() async throws {
        let suite = try TemporaryDirectory("warm")
        try suite.write("tests/test_probe.py", Self.probe)
        let pool = WarmPytestPool(folder: suite.path + "/.warm")
        let (_, one) = try await run(suite, pool: pool, environment: ["VALUE": "one"], shard: "1")
        let (_, two) = try await run(suite, pool: pool, environment: ["VALUE": "two"], shard: "2")
        #expect(one?.value == "one")
        #expect(two?.value == "two")
        #expect(one != nil && two != nil && one?.ppid != two?.ppid)
    }

    /// What an interpreter imported may have been upgraded on disk while it sat idle (a worker
    /// serving nightly runs): one idle too long, or idle when a run ended, is not used again.
    @Test func anInterpreterIdleTooLongOrAtARunsEndIsNotUsedAgain() async throws {
        let suite = try TemporaryDirectory("warm")
        try suite.write("tests/test_probe.py", Self.probe)
        let expiring = WarmPytestPool(folder: suite.path + "/.warm-expiring", maximumIdleSeconds: 0)
        let (_, one) = try await run(suite, pool: expiring)
        let (_, two) = try await run(suite, pool: expiring)
        #expect(one != nil && two != nil && one?.ppid != two?.ppid && two?.ppid != getpid())

        let pool = WarmPytestPool(folder: suite.path + "/.warm")
        let (_, before) = try await run(suite, pool: pool)
        let (_, again) = try await run(suite, pool: pool)
        pool.closeIdle()
        let (_, after) = try await run(suite, pool: pool)
        #expect(before != nil && again?.ppid == before?.ppid)
        #expect(after != nil && after?.ppid != before?.ppid && after?.ppid != getpid())
    }

    @Test func theSwitchRunsTheCommandCold() async throws {
        let suite = try TemporaryDirectory("warm")
        try suite.write("tests/test_probe.py", Self.probe)
        let pool = WarmPytestPool(folder: suite.path + "/.warm")
        let (outcome, probe) = try await run(suite, pool: pool, environment: [WarmPytestPool.switchVariable: "0"])
        #expect(outcome.exit.kind == .ok, "\(outcome.logTail)")
        #expect(probe?.ppid == getpid())
        #expect(!FileManager.default.fileExists(atPath: suite.path + "/.warm"))
    }

    @Test func aKilledInterpreterIsReplacedAndNoShardIsLost() async throws {
        let suite = try TemporaryDirectory("warm")
        try suite.write("tests/test_probe.py", Self.probe)
        let pool = WarmPytestPool(folder: suite.path + "/.warm")
        let (_, one) = try await run(suite, pool: pool, shard: "1")
        let parent = try #require(one?.ppid)
        kill(parent, SIGKILL)
        for _ in 0..<100 where !processIsGone(parent) { try await Task.sleep(for: .milliseconds(50)) }
        let (outcome, two) = try await run(suite, pool: pool, shard: "2")
        #expect(outcome.exit.kind == .ok, "\(outcome.logTail)")
        #expect(two != nil && two?.ppid != parent && two?.ppid != getpid())
    }

    /// An interpreter that cannot become warm (here: `python3` refuses `-c`) costs nothing but the
    /// try: the shard runs cold, and the pool does not try that interpreter again.
    @Test func anInterpreterThatCannotWarmUpLeavesTheShardsCold() async throws {
        let suite = try TemporaryDirectory("warm")
        try suite.write("tests/test_probe.py", Self.probe)
        let real = try ProcessRunner.executablePath(
            "python3",
            spec: ProcessSpec(
                arguments: ["python3"],
                workingDirectory: suite.path,
                environment: minimalEnvironment,
                logPath: "/dev/null"
            )
        )
        let wrapper = try suite.write(
            "bin/python3",
            "#!/bin/sh\nif [ \"$1\" = -c ]; then echo 'no warm starts here' >&2; exit 3; fi\nexec \(real) \"$@\"\n"
        )
        chmod(wrapper, 0o755)
        var base = minimalEnvironment
        base["PATH"] = suite.path + "/bin:" + (base["PATH"] ?? "")
        let pool = WarmPytestPool(folder: suite.path + "/.warm")
        for shard in ["1", "2"] {
            let (outcome, probe) = try await run(suite, pool: pool, base: base, shard: shard)
            #expect(outcome.exit.kind == .ok, "\(outcome.logTail)")
            #expect(probe?.ppid == getpid())
        }
        let logs = try FileManager.default.contentsOfDirectory(atPath: suite.path + "/.warm").filter {
            $0.hasPrefix("interpreter-")
        }
        #expect(logs == ["interpreter-1.log"])
        #expect(suite.read(".warm/interpreter-1.log")?.contains("no warm starts here") == true)
    }

    @Test func onlyPythonDashMPytestIsRunWarm() {
        #expect(WarmPytestPool.pytestArguments(["python3", "-m", "pytest", "-q", "a.py"]) == ["-q", "a.py"])
        #expect(WarmPytestPool.pytestArguments(["/venv/bin/python", "-m", "pytest"]) == [])
        #expect(WarmPytestPool.pytestArguments(["pytest", "-q"]) == nil)
        #expect(WarmPytestPool.pytestArguments(["python3", "-X", "dev", "-m", "pytest"]) == nil)
        #expect(WarmPytestPool.pytestArguments(["python3", "-m", "pytest_other"]) == nil)
        #expect(WarmPytestPool.pytestArguments(["sh", "-m", "pytest"]) == nil)
    }

    @Test func theInterpretersEnvironmentLeavesOutWhatDiffersBetweenShards() {
        let pool = WarmPytestPool(folder: "/pool")
        let shared = pool.sharedEnvironment(
            [
                "PYTHONPATH": "/scratch/s1/pytest-plugin:/mine", "TESTSHARD_PROGRESS_FILE": "/scratch/s1/p.jsonl",
                "TESTSHARD_DESELECT_FILE": "/scratch/s1/d.txt", "VALUE": "kept",
            ],
            pluginFolder: "/scratch/s1/pytest-plugin"
        )
        #expect(shared == ["PYTHONPATH": "/pool:/mine", "VALUE": "kept"])
        #expect(pool.sharedEnvironment([:], pluginFolder: "/p") == ["PYTHONPATH": "/pool"])
    }
}
