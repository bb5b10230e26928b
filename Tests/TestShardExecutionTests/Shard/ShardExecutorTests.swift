import Foundation
import Synchronization
import TestShardJUnit
import TestShardModel
import Testing

@testable import TestShardExecution

/// The worker's shell end to end, with real pytest processes.
@Suite("ShardExecutor with real pytest", .serialized)
struct ShardExecutorTests {
    static let pytest = "python3 -m pytest -q -p no:cacheprovider --junitxml={junit} {files}"
    let include = GlobSet(include: [try! Glob("tests/**/test_*.py")])

    private func executor() -> ShardExecutor {
        let ticks = Ticks()
        return ShardExecutor(clock: { ticks.next() })
    }

    private func request(
        _ suite: TemporaryDirectory,
        _ items: [WorkItem],
        command: String = pytest,
        // A cap, not a measurement: under a full parallel `swift test` one start took ~60 s.
        timeout: Double = 600,
        runner: ShardRunnerKind = .pytest,
        environment: [String: String] = [:],
        interruptGrace: Double = 2
    ) throws -> ShardRequest {
        ShardRequest(
            suiteRoot: suite.path,
            command: try CommandTemplate(command),
            items: items,
            include: include,
            timeout: timeout,
            scratchDirectory: suite.path + "/.scratch",
            runner: runner,
            environment: environment,
            baseEnvironment: minimalEnvironment,
            interruptGrace: interruptGrace
        )
    }

    private func statuses(_ outcome: ShardOutcome) -> [String: TestStatus] {
        Dictionary(outcome.tests.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func passFailSkipAndFixtureErrorsComeBackPerTest() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write(
            "tests/test_mixed.py",
            """
            import pytest

            @pytest.fixture
            def docker():
                raise RuntimeError("Failed to start Docker services")

            def test_pass(): pass
            def test_fail(): assert 1 == 2
            @pytest.mark.skip(reason="not today")
            def test_skip(): pass
            def test_fixture(docker): pass
            class TestGroup:
                @pytest.mark.parametrize("n", [1, 2])
                def test_param(self, n): assert n == 1
            """
        )
        try suite.write("tests/test_empty.py", "# nothing to collect\n")
        let outcome = await executor().run(try request(suite, ["tests/test_mixed.py", "tests/test_empty.py"]))
        #expect(outcome.exit == ShardExit(kind: .testsFailed, code: 1))
        #expect(
            statuses(outcome) == [
                "tests/test_mixed.py::test_pass": .passed, "tests/test_mixed.py::test_fail": .failed,
                "tests/test_mixed.py::test_skip": .skipped, "tests/test_mixed.py::test_fixture": .error,
                "tests/test_mixed.py::TestGroup::test_param[1]": .passed,
                "tests/test_mixed.py::TestGroup::test_param[2]": .failed,
            ]
        )
        let fixture = outcome.tests.first { $0.name == "test_fixture" }
        #expect(fixture?.failure?.message == "RuntimeError: Failed to start Docker services")
        #expect(fixture?.failure?.phase == .setup)
        #expect(outcome.itemsWithoutTests == ["tests/test_empty.py"])
        #expect(outcome.itemsWithoutResults.isEmpty)
        #expect(outcome.junitState == .ok)
        #expect(outcome.command.suffix(2) == ["tests/test_mixed.py", "tests/test_empty.py"])
        #expect(outcome.command.contains("--junitxml=\(suite.path)/.scratch/junit.xml"))
        #expect(outcome.startedAt == 1 && outcome.endedAt == 2)
        #expect(outcome.logTail.last?.contains("2 failed, 2 passed, 1 skipped, 1 error") == true, "\(outcome.logTail)")
    }

    @Test func allPassingIsOkAndAnEmptyShardIsANormalEnd() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write("tests/test_ok.py", "def test_ok(): pass\n")
        try suite.write("tests/test_none.py", "x = 1\n")
        let passing = await executor().run(try request(suite, ["tests/test_ok.py"]))
        #expect(passing.exit == ShardExit(kind: .ok, code: 0))
        #expect(passing.tests.map(\.id) == ["tests/test_ok.py::test_ok"])
        let empty = await executor().run(try request(suite, ["tests/test_none.py"]))
        #expect(empty.exit == ShardExit(kind: .ok, code: 5))
        #expect(empty.itemsWithoutTests == ["tests/test_none.py"])
    }

    /// Most progress records are formatted by the plugin rather than by `json.dumps` (passed
    /// phases, starts, finishes, collections): node ids with quotes, backslashes, tabs and
    /// non-ASCII letters read back from the log as the JUnit names them, with the same statuses.
    @Test func progressRecordsReadBackAsTheJUnitNamesTheTests() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write(
            "tests/test_names.py",
            #"""
            import pytest

            @pytest.mark.parametrize("text", ['say "hi"', "back\\slash", "tab\there", "caf\u00e9", "\u00fcber"])
            def test_quoted(text):
                assert text != "tab\there"

            def test_café():
                pass

            @pytest.mark.xfail(reason="known")
            def test_known():
                assert False

            @pytest.mark.skip(reason="not today")
            def test_skipped():
                pass
            """#
        )
        let items: [WorkItem] = ["tests/test_names.py"]
        let withJUnit = await executor().run(try request(suite, items))
        let fromProgress = await executor().run(
            try request(suite, items, command: "python3 -m pytest -q -p no:cacheprovider {files}")
        )
        #expect(withJUnit.junitState == .ok)
        #expect(fromProgress.junitState == .missing)
        #expect(withJUnit.tests.count == 8)
        #expect(fromProgress.recoveredTests == withJUnit.tests.count)
        #expect(statuses(fromProgress) == statuses(withJUnit))
        #expect(statuses(fromProgress)["tests/test_names.py::test_café"] == .passed)
        #expect(statuses(fromProgress)[#"tests/test_names.py::test_quoted[say "hi"]"#] == .passed)
        #expect(statuses(fromProgress)[#"tests/test_names.py::test_quoted[tab\there]"#] == .failed)
        #expect(statuses(fromProgress).values.filter { $0 == .passed }.count == 5)
    }

    /// Each file's time in the process (collection, and its tests start to finish) comes back
    /// with the outcome: an import that takes 0.3 s is the file's cost, though its test takes none.
    @Test func eachFileComesBackWithWhatItCostTheProcess() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write("tests/test_slow_import.py", "import time\ntime.sleep(0.3)\n\ndef test_quick(): pass\n")
        try suite.write("tests/test_quick.py", "def test_one(): pass\n\ndef test_two(): pass\n")
        let outcome = await executor().run(try request(suite, ["tests/test_quick.py", "tests/test_slow_import.py"]))
        #expect(outcome.exit == ShardExit(kind: .ok, code: 0))
        #expect(outcome.fileSeconds.keys.sorted() == ["tests/test_quick.py", "tests/test_slow_import.py"])
        let slow = outcome.fileSeconds["tests/test_slow_import.py"] ?? 0
        let junit = outcome.tests.first { $0.file == "tests/test_slow_import.py" }?.duration ?? 0
        #expect(slow >= 0.3)
        #expect(junit < 0.3)
        #expect((outcome.fileSeconds["tests/test_quick.py"] ?? 0) < slow)
    }

    @Test func collectionErrorAbortsTheSessionAndOnlyTheCulpritHasAResult() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write("tests/test_a.py", "def test_a(): pass\n")
        try suite.write("tests/test_bad.py", "import no_such_module_testshard\n")
        try suite.write("tests/test_c.py", "def test_c(): pass\n")
        let outcome = await executor().run(
            try request(suite, ["tests/test_a.py", "tests/test_bad.py", "tests/test_c.py"])
        )
        #expect(outcome.exit.kind == .crash)
        #expect(outcome.exit.code == 2)
        let bad = try #require(outcome.tests.first { $0.id == "tests/test_bad.py" })
        #expect(bad.status == .error)
        #expect(bad.failure?.phase == .collection)
        #expect(bad.failure?.message == "ModuleNotFoundError: No module named 'no_such_module_testshard'")
        #expect(outcome.itemsWithoutResults == ["tests/test_a.py", "tests/test_c.py"])
    }

    @Test func splitItemsSelectSingleTestsAndTheirParametrizations() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write(
            "tests/test_big.py",
            """
            import pytest
            def test_one(): pass
            @pytest.mark.parametrize("x", ["a", "b"])
            def test_two(x): pass
            def test_three(): pass
            """
        )
        let outcome = await executor().run(
            try request(suite, ["tests/test_big.py::test_one", "tests/test_big.py::test_two"])
        )
        #expect(outcome.exit.kind == .ok)
        #expect(
            outcome.tests.map(\.id).sorted() == [
                "tests/test_big.py::test_one", "tests/test_big.py::test_two[a]", "tests/test_big.py::test_two[b]",
            ]
        )
        #expect(outcome.itemsWithoutTests.isEmpty)
    }

    @Test func itemsFileSelectionThroughThePlugin() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write("tests/a/test_1.py", "def test_1(): pass\n")
        try suite.write("tests/a/test_2.py", "def test_2(): pass\n")
        try suite.write("tests/b/test_3.py", "import no_such_module_testshard\n")
        try suite.write("tests/b/test_4.py", "def test_4(): pass\ndef test_5(): pass\n")
        let command = "python3 -m pytest -q -p no:cacheprovider --junitxml={junit} --testshard-items={items_file} tests"
        let outcome = await executor().run(
            try request(suite, ["tests/a/test_2.py", "tests/b/test_4.py::test_5"], command: command)
        )
        #expect(outcome.exit.kind == .ok)
        #expect(outcome.tests.map(\.id).sorted() == ["tests/a/test_2.py::test_2", "tests/b/test_4.py::test_5"])
        #expect(outcome.command.contains("--testshard-items=\(suite.path)/.scratch/items.txt"))
        #expect(suite.read(".scratch/items.txt") == "tests/a/test_2.py\ntests/b/test_4.py::test_5\n")
    }

    /// A large shard goes to pytest as its common folder plus the items file; the plugin must then
    /// collect exactly what naming every file would: listed files in folders pytest would not enter
    /// (`build/`), files its `python_files` pattern skips or a conftest ignores, single node ids —
    /// and nothing unlisted.
    @Test func aLargeShardHandedOverAsAFolderRunsExactlyTheTestsOfOneArgumentPerItem() async throws {
        let suite = try TemporaryDirectory("handoff")
        var items: [WorkItem] = []
        for number in 1...8 {
            try suite.write("tests/a/test_\(number).py", "def test_\(number)():\n    assert \(number) != 3\n")
            items.append(WorkItem("tests/a/test_\(number).py"))
        }
        try suite.write("tests/a/test_unlisted.py", "def test_unlisted():\n    raise SystemExit(3)\n")
        try suite.write("tests/build/test_in_build.py", "def test_in_build(): pass\n")
        try suite.write("tests/b/check_odd.py", "def test_odd(): pass\n")
        try suite.write("tests/b/conftest.py", "collect_ignore = [\"test_ignored.py\"]\n")
        try suite.write("tests/b/test_ignored.py", "def test_ignored(): pass\n")
        try suite.write(
            "tests/c/test_param.py",
            "import pytest\n@pytest.mark.parametrize('x', [1, 2])\ndef test_p(x): pass\ndef test_q(): pass\n"
        )
        items += [
            "tests/build/test_in_build.py", "tests/b/check_odd.py", "tests/b/test_ignored.py",
            "tests/c/test_param.py::test_p",
        ]
        func run(argv: Bool) async throws -> ShardOutcome {
            var environment = minimalEnvironment
            if argv { environment[PytestHandoff.argvVariable] = "1" }
            let request = ShardRequest(
                suiteRoot: suite.path,
                command: try CommandTemplate(Self.pytest),
                items: items,
                include: GlobSet(include: [try Glob("tests/**/test_*.py"), try Glob("tests/**/check_*.py")]),
                timeout: 60,
                scratchDirectory: suite.path + "/.scratch-\(argv)",
                baseEnvironment: environment
            )
            return await executor().run(request)
        }
        let folder = try await run(argv: false)
        let arguments = try await run(argv: true)
        #expect(folder.command.suffix(2) == ["--testshard-items=\(suite.path)/.scratch-false/items.txt", "tests"])
        #expect(arguments.command.suffix(items.count) == items.map(\.id))
        #expect(folder.exit == ShardExit(kind: .testsFailed, code: 1), "\(folder.logTail)")
        #expect(statuses(folder) == statuses(arguments))
        #expect(statuses(folder).count == 13)
        #expect(statuses(folder)["tests/a/test_3.py::test_3"] == .failed)
        #expect(statuses(folder)["tests/c/test_param.py::test_p[2]"] == .passed)
        #expect(folder.itemsWithoutResults.isEmpty && folder.itemsWithoutTests.isEmpty)
    }

    @Test func environmentReachesTheTestsAndTheUsersPluginsAreKept() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write(
            "tests/test_env.py",
            """
            import os
            def test_env():
                assert os.environ["TESTSHARD_EXAMPLE"] == "from the config"
                assert os.environ["PYTEST_PLUGINS"].split(",") == ["my_plugin", "testshard_progress"]
                assert os.environ["PYTHONPATH"].endswith(":extra/path")
            """
        )
        try suite.write("my_plugin.py", "")
        let outcome = await executor().run(
            try request(
                suite,
                ["tests/test_env.py"],
                environment: [
                    "TESTSHARD_EXAMPLE": "from the config", "PYTEST_PLUGINS": "my_plugin", "PYTHONPATH": "extra/path",
                ]
            )
        )
        #expect(outcome.exit.kind == .ok, "\(outcome.logTail)")
    }

    /// The plugin freezes the session's objects at its very end (a quick exit), unless
    /// `TESTSHARD_PYTEST_GC_FREEZE=0`; what the tests see is the same either way.
    @Test func theSessionsObjectsAreFrozenAtTheEndUnlessTurnedOff() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write(
            "conftest.py",
            """
            import atexit, gc, os
            atexit.register(lambda: open(os.environ["FREEZE_PROBE"], "w").write(str(gc.get_freeze_count())))
            """
        )
        try suite.write("tests/test_gc.py", "import gc\n\ndef test_gc():\n    assert gc.get_freeze_count() == 0\n")
        func frozenAtExit(_ environment: [String: String]) async throws -> Int? {
            let probe = suite.path + "/freeze-\(environment.count).txt"
            let merged = environment.merging(["FREEZE_PROBE": probe]) { own, _ in own }
            let outcome = await executor().run(try request(suite, ["tests/test_gc.py"], environment: merged))
            #expect(outcome.exit.kind == .ok, "\(outcome.logTail)")
            return (try? String(contentsOfFile: probe, encoding: .utf8)).flatMap { Int($0) }
        }
        #expect(try await frozenAtExit([:]) ?? 0 > 0)
        #expect(try await frozenAtExit(["TESTSHARD_PYTEST_GC_FREEZE": "0"]) == 0)
    }

    /// A pytest session inside the shard's (pytester's inline runs) is the test's own: the shard's
    /// selection, progress records and quick exit leave it alone. Nine items, so the shard goes to
    /// pytest as a folder plus an items list.
    @Test func aSessionInsideTheShardsSessionIsLeftAlone() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write("conftest.py", "pytest_plugins = [\"pytester\"]\n")
        var items: [WorkItem] = []
        for number in 1...8 {
            try suite.write("tests/test_plain_\(number).py", "def test_one():\n    pass\n")
            items.append(WorkItem("tests/test_plain_\(number).py"))
        }
        try suite.write(
            "tests/test_inner.py",
            """
            import gc

            def test_inner_run(pytester):
                pytester.makepyfile(test_x="def test_x():\\n    pass\\n")
                result = pytester.inline_run()
                result.assertoutcome(passed=1)
                assert gc.get_freeze_count() == 0
            """
        )
        items.append(WorkItem("tests/test_inner.py"))
        let outcome = await executor().run(try request(suite, items))
        #expect(outcome.exit.kind == .ok, "\(outcome.logTail)")
        let expected = (1...8).map { "tests/test_plain_\($0).py::test_one" } + ["tests/test_inner.py::test_inner_run"]
        #expect(outcome.tests.map(\.id).sorted() == expected.sorted())
        #expect(outcome.tests.allSatisfy { $0.status == .passed })
    }

    @Test func rootdirBelowTheSuiteRootStillGivesSuiteRootedIds() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write("tests/pytest.ini", "[pytest]\n")
        try suite.write("tests/test_deep.py", "def test_deep(): assert False\n")
        let outcome = await executor().run(try request(suite, ["tests/test_deep.py"]))
        #expect(outcome.tests.map(\.id) == ["tests/test_deep.py::test_deep"])
        #expect(outcome.exit.kind == .testsFailed)
    }

    @Test func truncatedJUnitIsNoResultsWithTheLastOutputLines() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write("tests/test_a.py", "")
        let command = """
            sh -c 'printf "<testsuites><testsuite name=\\"x\\"><testcase classname=\\"c\\" name=\\"n\\"" > "$1"; echo "disk full while writing"; exit 0' sh {junit} {files}
            """
        let outcome = await executor().run(try request(suite, ["tests/test_a.py"], command: command, runner: .junit))
        #expect(outcome.exit.kind == .noResults)
        #expect(outcome.junitState == .truncated)
        #expect(outcome.exit.reason?.hasSuffix("last output: disk full while writing") == true)
        #expect(outcome.logTail == ["disk full while writing"])
        #expect(outcome.itemsWithoutResults == ["tests/test_a.py"])
    }

    @Test func missingJUnitIsNoResults() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write("tests/test_a.py", "")
        let outcome = await executor().run(
            try request(suite, ["tests/test_a.py"], command: "sh -c 'echo ran $0' {files}", runner: .junit)
        )
        #expect(outcome.exit.kind == .noResults)
        #expect(outcome.junitState == .missing)
        #expect(outcome.logTail == ["ran tests/test_a.py"])
    }

    @Test func otherRunnerReportsJUnitOfItsSingleFile() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write("tests/test_node.py", "")
        let junit =
            #"<testsuites><testcase name="adds" classname="test"/><testcase name="fails" classname="test"><failure message="no"/></testcase></testsuites>"#
        let command = "sh -c 'printf %s \"$2\" > \"$1\"; exit 1' sh {junit} '\(junit)' {files}"
        let outcome = await executor().run(try request(suite, ["tests/test_node.py"], command: command, runner: .junit))
        #expect(outcome.exit.kind == .testsFailed)
        #expect(outcome.tests.map(\.id) == ["tests/test_node.py::test::adds", "tests/test_node.py::test::fails"])
    }

    @Test(arguments: ["/etc/passwd", "../outside/test_x.py", "-x", "tests/test_missing.py", "docs/test_a.py"])
    func refusedItemsNeverStartTheCommand(item: String) async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write("tests/test_a.py", "def test_a(): pass\n")
        try suite.write("docs/test_a.py", "")
        let outcome = await executor().run(try request(suite, ["tests/test_a.py", WorkItem(item)]))
        #expect(outcome.exit.kind == .refused)
        #expect(outcome.exit.reason?.contains(item) == true)
        #expect(outcome.command.isEmpty)
        #expect(outcome.itemsWithoutResults == ["tests/test_a.py", WorkItem(item)])
        #expect(!FileManager.default.fileExists(atPath: suite.path + "/.scratch/output.log"))
    }

    @Test func missingProgramRefusesTheShard() async throws {
        let suite = try TemporaryDirectory("shard")
        try suite.write("tests/test_a.py", "")
        let outcome = await executor().run(
            try request(suite, ["tests/test_a.py"], command: "no-such-runner-testshard {files}")
        )
        #expect(outcome.exit.kind == .refused)
        #expect(outcome.exit.reason?.contains("no-such-runner-testshard was not found on PATH") == true)
    }

    /// Issue 5's hang isolation needs the running item named: ten files, the sixth hangs. The shard
    /// is stopped once the hang has started (the same teardown as a timeout, SIGINT first), so the
    /// test does not depend on how fast pytest starts on a busy machine.
    @Test func hangingFileIsNamedAndTheFilesBeforeItKeepTheirResults() async throws {
        let suite = try hangSuite(ignoringInterrupt: false)
        let outcome = try await runUntilTheHang(suite, interruptGrace: 10)
        #expect(outcome.exit.kind == .cancelled)
        #expect(outcome.lastStartedItem == "tests/test_06.py")
        #expect(outcome.lastStartedTest == "tests/test_06.py::test_hang")
        #expect(Set(outcome.tests.map(\.file)) == Set(Self.hangItems.prefix(5).map(\.id)))
        #expect(outcome.itemsWithoutResults == Array(Self.hangItems.suffix(5)))
        #expect(outcome.junitState == .ok)
        #expect(outcome.logTail.contains { $0.contains("KeyboardInterrupt") }, "\(outcome.logTail)")
    }

    /// When pytest cannot write its JUnit (killed past SIGINT), the progress log still has the
    /// finished tests.
    @Test func resultsAreRecoveredFromProgressWhenPytestIsKilled() async throws {
        let suite = try hangSuite(ignoringInterrupt: true)
        let outcome = try await runUntilTheHang(suite, interruptGrace: 0.5)
        #expect(outcome.exit.kind == .cancelled)
        #expect(outcome.junitState == .missing)
        #expect(outcome.recoveredTests == 5)
        #expect(outcome.lastStartedItem == "tests/test_06.py")
        #expect(Set(outcome.tests.map(\.file)) == Set(Self.hangItems.prefix(5).map(\.id)))
        #expect(outcome.tests.first { $0.file == "tests/test_02.py" }?.status == .failed)
        #expect(outcome.itemsWithoutResults == Array(Self.hangItems.suffix(5)))
    }

    /// Runs the hang suite and stops it as soon as the hanging test has started.
    private func runUntilTheHang(_ suite: TemporaryDirectory, interruptGrace: Double) async throws -> ShardOutcome {
        let cancel = ProcessCancelHandle()
        let request = try request(suite, Self.hangItems, timeout: 300, interruptGrace: interruptGrace)
        let run = Task { await executor().run(request, cancel: cancel) }
        let marker = suite.path + "/hang-started"
        for _ in 0..<1200 where !FileManager.default.fileExists(atPath: marker) {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(FileManager.default.fileExists(atPath: marker), "the hanging test never started")
        cancel.cancel()
        return await run.value
    }

    static let hangItems = (1...10).map { WorkItem("tests/test_\($0 < 10 ? "0" : "")\($0).py") }

    private func hangSuite(ignoringInterrupt: Bool) throws -> TemporaryDirectory {
        let suite = try TemporaryDirectory("hang")
        for (index, item) in Self.hangItems.enumerated() {
            let number = index + 1
            if number == 6 {
                let ignore = ignoringInterrupt ? "signal.signal(signal.SIGINT, signal.SIG_IGN)\n    " : ""
                try suite.write(
                    item.id,
                    "import os, signal, time\ndef test_hang():\n    \(ignore)open(os.path.join(os.path.dirname(__file__), "
                        + "'..', 'hang-started'), 'w').close()\n    time.sleep(60)\n"
                )
            } else {
                try suite.write(item.id, "def test_\(number)():\n    assert \(number) != 2\n")
            }
        }
        return suite
    }
}

/// A clock that counts calls, so tests can tell start from end without reading the time.
final class Ticks: Sendable {
    private let count = Mutex(0.0)
    func next() -> Double {
        count.withLock {
            $0 += 1; return $0
        }
    }
}
