import Foundation
import TestShardJUnit
import TestShardModel
import Testing

@testable import TestShardExecution

/// The shell with the node, swift and generic JUnit runners: real `node --test` (Node 20), and a
/// stand-in for `swift` that records its arguments and writes fixed xunit files.
@Suite("ShardExecutor with node, swift and junit runners", .serialized)
struct ShardExecutorRunnerTests {
    static let node = "node --test --test-reporter=junit --test-reporter-destination={junit} {files}"

    private func request(
        _ suite: TemporaryDirectory,
        _ items: [WorkItem],
        command: String,
        runner: ShardRunnerKind,
        include: String,
        // A cap, not a measurement: under a full parallel `swift test` one node start took ~60 s.
        timeout: Double = 600
    ) throws -> ShardRequest {
        ShardRequest(
            suiteRoot: suite.path,
            command: try CommandTemplate(command),
            items: items,
            include: GlobSet(include: [try Glob(include)]),
            timeout: timeout,
            scratchDirectory: suite.path + "/.scratch",
            runner: runner,
            baseEnvironment: minimalEnvironment
        )
    }

    private func statuses(_ outcome: ShardOutcome) -> [String: TestStatus] {
        Dictionary(outcome.tests.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - node

    private func nodeSuite() throws -> TemporaryDirectory {
        let suite = try TemporaryDirectory("node")
        try suite.write(
            "test/a.test.mjs",
            """
            import { test, describe } from 'node:test';
            import assert from 'node:assert/strict';
            test('adds', () => { assert.equal(1 + 1, 2); });
            test('fails', () => { assert.equal(1 + 1, 3); });
            test('later', { skip: 'not now' }, () => {});
            describe('group', () => {
              test('inner (1)', () => {});
              describe('deeper', () => { test('adds', () => {}); });
            });
            """
        )
        try suite.write(
            "test/b.test.mjs",
            """
            import { test } from 'node:test';
            test('adds', () => {});
            """
        )
        try suite.write("test/broken.test.mjs", "import { test } from 'node:test';\nthrow new Error('boom at load');\n")
        return suite
    }

    @Test func nodeShardOfSeveralFilesNamesEachTestByItsFile() async throws {
        let suite = try nodeSuite()
        let outcome = await ShardExecutor(clock: { 0 }).run(
            try request(
                suite,
                ["test/a.test.mjs", "test/b.test.mjs", "test/broken.test.mjs"],
                command: Self.node,
                runner: .node,
                include: "test/**/*.test.mjs"
            )
        )
        #expect(outcome.exit.kind == .testsFailed, "\(outcome.exit) \(outcome.logTail)")
        #expect(
            statuses(outcome) == [
                "test/a.test.mjs::adds": .passed, "test/a.test.mjs::fails": .failed,
                "test/a.test.mjs::later": .skipped, "test/a.test.mjs::group::inner (1)": .passed,
                "test/a.test.mjs::group::deeper::adds": .passed, "test/b.test.mjs::adds": .passed,
                "test/broken.test.mjs": .failed,
            ]
        )
        #expect(outcome.itemsWithoutResults.isEmpty && outcome.itemsWithoutTests.isEmpty)
        #expect(outcome.testsOutsideItems.isEmpty)
        let log = suite.read(".scratch/output.log") ?? ""
        #expect(log.components(separatedBy: "\n$ node --test").count == 3, "one process per file:\n\(log)")
    }

    @Test func nodeRunsOneTestOfAFileAndReportsOnlyIt() async throws {
        let suite = try nodeSuite()
        let outcome = await ShardExecutor(clock: { 0 }).run(
            try request(
                suite,
                ["test/a.test.mjs::group::inner (1)", "test/a.test.mjs::fails", "test/b.test.mjs::adds"],
                command: Self.node,
                runner: .node,
                include: "test/**/*.test.mjs"
            )
        )
        #expect(outcome.exit.kind == .testsFailed)
        #expect(
            statuses(outcome) == [
                "test/a.test.mjs::group::inner (1)": .passed, "test/a.test.mjs::fails": .failed,
                "test/b.test.mjs::adds": .passed,
            ]
        )
        #expect(outcome.itemsWithoutResults.isEmpty && outcome.itemsWithoutTests.isEmpty)
    }

    @Test func nodeTimeoutStopsTheShardAndNamesTheFileThatHung() async throws {
        let suite = try nodeSuite()
        try suite.write(
            "test/hang.test.mjs",
            "import { test } from 'node:test';\ntest('hangs', async () => { await new Promise(() => setInterval(() => {}, 1000)); });\n"
        )
        let outcome = await ShardExecutor(clock: { 0 }).run(
            try request(
                suite,
                ["test/b.test.mjs", "test/hang.test.mjs", "test/a.test.mjs"],
                command: Self.node,
                runner: .node,
                include: "test/**/*.test.mjs",
                timeout: 12
            )
        )
        #expect(outcome.exit.kind == .timeout)
        #expect(outcome.exit.reason?.contains("test/hang.test.mjs") == true, "\(outcome.exit)")
        #expect(statuses(outcome) == ["test/b.test.mjs::adds": .passed])
        #expect(outcome.itemsWithoutResults == ["test/hang.test.mjs", "test/a.test.mjs"])
        #expect(outcome.lastStartedItem == "test/hang.test.mjs")
    }

    // MARK: - junit

    @Test func junitRunnerRefusesOneTestOfAFile() async throws {
        let suite = try TemporaryDirectory("junit")
        try suite.write("checks/a.check", "")
        let outcome = await ShardExecutor(clock: { 0 }).run(
            try request(
                suite,
                ["checks/a.check", "checks/a.check::one"],
                command: "sh -c 'exit 0' {files}",
                runner: .junit,
                include: "checks/*.check"
            )
        )
        #expect(outcome.exit.kind == .refused)
        #expect(outcome.exit.reason?.contains("runs whole files only") == true)
        #expect(outcome.command.isEmpty)
    }

    // MARK: - swift (stand-in)

    /// A `./swift` that logs each call and, for `test`, writes the two xunit files from fixtures.
    private func swiftSuite(buildSucceeds: Bool = true) throws -> TemporaryDirectory {
        let suite = try TemporaryDirectory("swift")
        let script = """
            #!/bin/sh
            here=$(cd "$(dirname "$0")" && pwd)
            echo "$*" >> "$here/calls.log"
            if [ "$1" = build ]; then \(buildSucceeds ? "exit 0" : "echo 'error: cannot compile'; exit 1"); fi
            out=""; previous=""
            for word in "$@"; do [ "$previous" = "--xunit-output" ] && out="$word"; previous="$word"; done
            cp "$here/xctest.xml" "$out"
            cp "$here/testing.xml" "${out%.xml}-swift-testing.xml"
            exit 1
            """
        let path = try suite.write("swift", script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        try suite.write(
            "xctest.xml",
            """
            <testsuites><testsuite name="TestResults">
            <testcase classname="LibTests.MathXCTests" name="testAdd" time="0.1"></testcase>
            <testcase classname="LibTests.MathXCTests" name="testFail" time="0.1"><failure message="failure"></failure></testcase>
            </testsuite></testsuites>
            """
        )
        try suite.write(
            "testing.xml",
            """
            <testsuites><testsuite name="TestResults">
            <testcase classname="LibTests.MathSuite" name="adds()" time="0.01" />
            <testcase classname="LibTests.MathSuite.Inner" name="nested()" time="0.01" />
            <testcase classname="LibTests" name="freeFunction()" time="0.01" />
            <testcase classname="LibTests.MathSuite" name="disabled()"><skipped>off</skipped></testcase>
            </testsuite></testsuites>
            """
        )
        try suite.write(
            "Tests/LibTests/MathTests.swift",
            """
            import Testing
            @Suite struct MathSuite {
                @Test func adds() {}
                @Test(.disabled("off")) func disabled() {}
                struct Inner { @Test func nested() {} }
            }
            @Test func freeFunction() {}
            """
        )
        try suite.write(
            "Tests/LibTests/XCTests.swift",
            "import XCTest\nfinal class MathXCTests: XCTestCase {\n  func testAdd() {}\n  func testFail() {}\n}\n"
        )
        try suite.write("Tests/LibTests/Helpers.swift", "struct Helper {}\n")
        return suite
    }

    private let swiftCommand = "./swift test --skip-build --parallel --xunit-output {junit} {files}"

    @Test func swiftBuildsOnceFiltersByFileAndMapsResultsBack() async throws {
        let suite = try swiftSuite()
        let executor = ShardExecutor(clock: { 0 }, preparation: PreparationGate())
        let items: [WorkItem] = [
            "Tests/LibTests/MathTests.swift", "Tests/LibTests/XCTests.swift", "Tests/LibTests/Helpers.swift",
        ]
        let shard = try request(suite, items, command: swiftCommand, runner: .swift, include: "Tests/**/*.swift")
        let first = await executor.run(shard)
        let second = await executor.run(shard)
        #expect(first.exit.kind == .testsFailed, "\(first.exit)")
        #expect(
            statuses(first) == [
                "Tests/LibTests/MathTests.swift::MathSuite::adds()": .passed,
                "Tests/LibTests/MathTests.swift::MathSuite::Inner::nested()": .passed,
                "Tests/LibTests/MathTests.swift::freeFunction()": .passed,
                "Tests/LibTests/MathTests.swift::MathSuite::disabled()": .skipped,
                "Tests/LibTests/XCTests.swift::MathXCTests::testAdd": .passed,
                "Tests/LibTests/XCTests.swift::MathXCTests::testFail": .failed,
            ]
        )
        #expect(first.itemsWithoutTests == ["Tests/LibTests/Helpers.swift"])
        #expect(second.tests == first.tests)
        let calls = (suite.read("calls.log") ?? "").split(separator: "\n").map(String.init)
        #expect(calls.count == 3, "one build, two test runs: \(calls)")
        #expect(calls.first == "build --build-tests")
        #expect(
            calls.last?.hasSuffix(
                #"--filter ^LibTests\..*/MathTests\.swift:[0-9]+:[0-9]+$ --filter ^LibTests\.MathXCTests/"#
            ) == true,
            "\(calls)"
        )
    }

    @Test func swiftBuildFailureIsNoResultsWithTheBuildsLastWords() async throws {
        let suite = try swiftSuite(buildSucceeds: false)
        let executor = ShardExecutor(clock: { 0 }, preparation: PreparationGate())
        let shard = try request(
            suite,
            ["Tests/LibTests/MathTests.swift"],
            command: swiftCommand,
            runner: .swift,
            include: "Tests/**/*.swift"
        )
        let outcome = await executor.run(shard)
        #expect(outcome.exit.kind == .noResults)
        #expect(outcome.exit.reason?.contains("./swift build --build-tests") == true)
        #expect(outcome.exit.reason?.hasSuffix("last output: error: cannot compile") == true, "\(outcome.exit)")
        #expect(outcome.itemsWithoutResults == ["Tests/LibTests/MathTests.swift"])
        _ = await executor.run(shard)
        let calls = (suite.read("calls.log") ?? "").split(separator: "\n")
        #expect(calls == ["build --build-tests", "build --build-tests"], "a failed build is tried again")
    }

    @Test func swiftWithoutXCTestResultsSaysWhyWhenXCTestWasSelected() throws {
        let suite = try TemporaryDirectory("xunit")
        try suite.write("junit-swift-testing.xml", "<testsuites><testsuite name=\"TestResults\"/></testsuites>")
        let read = ShardExecutor.readSwiftResults(
            xunitPath: suite.path + "/junit.xml",
            expectXCTest: true,
            expectSwiftTesting: true
        )
        #expect(read.state == .missing)
        #expect(read.reason?.contains("--parallel") == true)
        let testingOnly = ShardExecutor.readSwiftResults(
            xunitPath: suite.path + "/junit.xml",
            expectXCTest: false,
            expectSwiftTesting: true
        )
        #expect(testingOnly.state == .ok)
    }
}
