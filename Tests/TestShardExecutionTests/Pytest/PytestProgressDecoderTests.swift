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
}
