import Foundation
import TestShardJUnit
import TestShardModel
import Testing

@testable import TestShardExecution

@Suite("PytestProgressDecoder and PytestProgress")
struct PytestProgressDecoderTests {
    private let progress = PytestProgressDecoder.decode(Data(ProgressFixtures.mixedSuite.utf8))

    private func result(_ id: String, prefix: String = "") throws -> TestCaseResult {
        try #require(progress.results(pathPrefix: prefix).first { $0.id == id }, "no \(id)")
    }

    @Test func sessionAndUnfinishedWorkAreRecognised() {
        #expect(progress.rootdir == "/tmp/pyjx")
        #expect(progress.exitStatus == 1)
        #expect(progress.lastUnfinishedTest == "tests/test_mix.py::test_hang")
        #expect(progress.lastUnfinishedCollection == nil)
        #expect(progress.tests.filter(\.finished).count == 10)
    }

    @Test func finishedTestsBecomeResultsLikeTheJUnitOnes() throws {
        let results = progress.results(pathPrefix: "")
        #expect(results.count == 12)
        #expect(!results.contains { $0.id == "tests/test_mix.py::test_hang" })
        let fail = try result("tests/test_mix.py::test_fail")
        #expect(fail.status == .failed)
        #expect(fail.failure?.message == "AssertionError: math is broken")
        #expect(fail.failure?.type == "AssertionError")
        #expect(fail.classname == "tests.test_mix")
        #expect(fail.name == "test_fail")
        #expect(fail.duration > 0)
        let setup = try result("tests/test_mix.py::test_fixture_error")
        #expect(setup.status == .error)
        #expect(setup.failure?.phase == .setup)
        #expect(setup.failure?.message == "RuntimeError: Failed to start Docker services")
        let teardown = try result("tests/test_mix.py::test_teardown_error")
        #expect(teardown.status == .error)
        #expect(teardown.failure?.phase == .teardown)
        let both = try result("tests/test_mix.py::test_fail_and_teardown_error")
        #expect(both.status == .failed)
        #expect(both.failure?.details.contains("then in teardown: ValueError: teardown exploded") == true)
        #expect(try result("tests/test_mix.py::test_skip").skipReason == "not today")
        #expect(try result("tests/test_mix.py::test_xfail").skipReason == "xfail: known bug")
        #expect(try result("tests/test_mix.py::test_xpass").status == .passed)
        #expect(try result("tests/test_mix.py::test_xpass_strict").status == .failed)
        #expect(try result("tests/test_mix.py::TestX::test_y").classname == "tests.test_mix.TestX")
    }

    @Test func collectionErrorsAndModuleSkipsAreFileLevelResults() throws {
        let bad = try result("tests/test_bad.py")
        #expect(bad.status == .error)
        #expect(bad.failure?.phase == .collection)
        #expect(bad.failure?.message == "ModuleNotFoundError: No module named 'nonexistent_module_xyz'")
        let skipped = try result("tests/sub/test_modskip.py")
        #expect(skipped.status == .skipped)
        #expect(skipped.skipReason == "whole module skipped")
    }

    @Test func agreesWithTheJUnitOfTheSameTests() throws {
        let junit = JUnitReader(candidateFiles: ProgressFixtures.mixedSuiteFiles).parse(
            Data(ProgressFixtures.mixedSuiteJUnit.utf8)
        )
        for recovered in progress.results(pathPrefix: "") {
            let written = try #require(junit.tests.first { $0.id == recovered.id }, "\(recovered.id) not in the JUnit")
            #expect(recovered.status == written.status, "\(recovered.id)")
            #expect(recovered.failure?.message == written.failure?.message, "\(recovered.id)")
            #expect(recovered.failure?.phase == written.failure?.phase, "\(recovered.id)")
            #expect(recovered.skipReason == written.skipReason, "\(recovered.id)")
        }
    }

    @Test func prefixRootsIdsAtTheSuiteRoot() throws {
        let prefixed = try result("sub/tests/test_mix.py::TestX::test_y", prefix: "sub/")
        #expect(prefixed.file == "sub/tests/test_mix.py")
        #expect(prefixed.classname == "sub.tests.test_mix.TestX")
    }

    @Test func garbageLinesAreSkipped() {
        let data = Data("not json\n{\"event\": \"start\", \"nodeid\": \"a.py::t\"}\n\u{0}\u{1}\n{\"event\"".utf8)
        let decoded = PytestProgressDecoder.decode(data)
        #expect(decoded.lastUnfinishedTest == "a.py::t")
        #expect(decoded.results(pathPrefix: "").isEmpty)
    }

    /// Whole logs are read in one decoder call; a log with a line that is not a record (cut short
    /// by a kill, or not JSON) is read line by line instead, and both give the same records.
    @Test func aLogWithABadLineGivesTheSameRecordsAsTheLinesAlone() {
        // The fixture ends with a line cut in the middle; without it, every line is a record.
        let lines = ProgressFixtures.mixedSuite.split(separator: "\n").map(String.init).dropLast()
        let whole = PytestProgressDecoder.records(Data(lines.joined(separator: "\n").utf8))
        #expect(whole.count == lines.count)
        #expect(whole.first?.event == "session")

        var damaged = Array(lines)
        damaged.insert("{\"nodeid\": \"a record without its event\"}", at: 3)
        damaged.insert("", at: 5)
        damaged.append("{\"event\": \"start\", \"nodeid\": \"tests/test_mix.py::cut")
        let recovered = PytestProgressDecoder.records(Data(damaged.joined(separator: "\n").utf8))
        #expect(recovered.map(\.event) == whole.map(\.event))
        #expect(recovered.map(\.nodeid) == whole.map(\.nodeid))
        #expect(recovered.map(\.t) == whole.map(\.t))
        // Only the last line cut short, as a kill leaves it: every whole line is a record.
        let killed = PytestProgressDecoder.records(Data(ProgressFixtures.mixedSuite.utf8))
        #expect(killed.map(\.nodeid) == whole.map(\.nodeid))
        #expect(PytestProgressDecoder.records(Data()).isEmpty)
        #expect(PytestProgressDecoder.records(Data("\n\n".utf8)).isEmpty)
    }

    @Test func hangDuringImportIsTheUnfinishedCollection() {
        let data = Data(
            """
            {"event": "collectstart", "nodeid": "tests/test_a.py"}
            {"event": "collectreport", "nodeid": "tests/test_a.py", "outcome": "passed"}
            {"event": "collectstart", "nodeid": "tests/test_slow_import.py"}
            """.utf8
        )
        #expect(PytestProgressDecoder.decode(data).lastUnfinishedCollection == "tests/test_slow_import.py")
    }

    /// A file's cost in the process: its collection plus its tests, by the plugin's timestamps, each
    /// span from the end of the one before it (the gap between two files or two tests counts for
    /// the one after). A test without `finish` and a pair running backwards count nothing.
    @Test func fileSecondsAreCollectionPlusTestsStartToFinish() throws {
        let lines = [
            #"{"event": "session", "rootdir": "/r", "t": 100.0}"#,
            #"{"event": "collectstart", "nodeid": "tests/test_a.py", "t": 100.0}"#,
            #"{"event": "collectreport", "nodeid": "tests/test_a.py", "outcome": "passed", "t": 100.5}"#,
            #"{"event": "collectstart", "nodeid": "tests/test_b.py", "t": 100.625}"#,
            #"{"event": "collectreport", "nodeid": "tests/test_b.py", "outcome": "passed", "t": 100.75}"#,
            #"{"event": "start", "nodeid": "tests/test_a.py::test_1", "t": 101.0}"#,
            #"{"event": "report", "nodeid": "tests/test_a.py::test_1", "when": "call", "outcome": "passed", "duration": 0.01, "t": 101.1}"#,
            #"{"event": "finish", "nodeid": "tests/test_a.py::test_1", "t": 101.25}"#,
            #"{"event": "start", "nodeid": "tests/test_a.py::TestX::test_2[a::b]", "t": 101.375}"#,
            #"{"event": "finish", "nodeid": "tests/test_a.py::TestX::test_2[a::b]", "t": 101.5}"#,
            #"{"event": "start", "nodeid": "tests/test_b.py::test_back", "t": 102.0}"#,
            #"{"event": "finish", "nodeid": "tests/test_b.py::test_back", "t": 101.0}"#,
            #"{"event": "start", "nodeid": "tests/test_b.py::test_killed", "t": 102.0}"#,
        ]
        let progress = PytestProgressDecoder.decode(Data(lines.joined(separator: "\n").utf8))
        #expect(progress.collections.map(\.seconds) == [0.5, 0.125])
        #expect(progress.tests.map(\.seconds) == [0.25, 0.125, nil, nil])
        // test_b's collection counts from test_a's end (0.25), test_2 from test_1's finish (0.25).
        #expect(progress.fileSeconds(pathPrefix: "sub/") == ["sub/tests/test_a.py": 1.0, "sub/tests/test_b.py": 0.25])
        // The first of each phase counts from its own start: the gap after collection and the
        // session's start are the shard's, not a file's.
        #expect(progress.fileSeconds(pathPrefix: "").values.reduce(0, +) == 1.25)
        // Records without timestamps give no figures rather than zeros.
        let untimed = lines.map { $0.replacingOccurrences(of: #", "t": "#, with: #", "u": "#) }
        #expect(
            PytestProgressDecoder.decode(Data(untimed.joined(separator: "\n").utf8)).fileSeconds(pathPrefix: "").isEmpty
        )
        // The real plugin's log (fixture) has them.
        #expect(self.progress.fileSeconds(pathPrefix: "")["tests/test_mix.py"] ?? 0 > 0)
    }
}
