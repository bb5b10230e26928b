import Foundation
import TestShardModel
import Testing

@testable import TestShardJUnit

@Suite("JUnitReader on real pytest 9 output")
struct JUnitReaderPytestTests {
    static let mixedSuiteFiles = [
        "tests/test_mix.py", "tests/test_bad.py", "tests/sub/test_modskip.py", "tests/sub/test_empty.py",
        "tests/sub/test_ok.py",
    ]

    private func read(_ xml: String, candidates: [String] = mixedSuiteFiles, prefix: String = "") -> JUnitReadResult {
        JUnitReader(candidateFiles: candidates, pathPrefix: prefix).parse(Data(xml.utf8))
    }

    private func test(_ result: JUnitReadResult, _ id: String) throws -> TestCaseResult {
        try #require(result.tests.first { $0.id == id }, "no result for \(id) in \(result.tests.map(\.id))")
    }

    @Test func xunit1IdsAreRootedAtTheSuiteRoot() {
        let result = read(Fixtures.pytestXunit1)
        #expect(result.state == .ok)
        #expect(result.reason == nil)
        #expect(
            result.tests.map(\.id) == [
                "tests/sub/test_modskip.py", "tests/test_bad.py", "tests/sub/test_ok.py::test_one",
                "tests/test_mix.py::test_pass", "tests/test_mix.py::test_fail", "tests/test_mix.py::test_ctrl",
                "tests/test_mix.py::test_skip", "tests/test_mix.py::test_skip_inside", "tests/test_mix.py::test_xfail",
                "tests/test_mix.py::test_xpass_strict", "tests/test_mix.py::test_xpass",
                "tests/test_mix.py::test_fixture_error", "tests/test_mix.py::test_teardown_error",
                "tests/test_mix.py::test_fail_and_teardown_error", "tests/test_mix.py::test_param[1]",
                "tests/test_mix.py::test_param[a::b]", "tests/test_mix.py::test_param[c.d]",
                "tests/test_mix.py::test_param[\\xfc]", "tests/test_mix.py::TestX::test_y",
                "tests/test_mix.py::TestX::TestInner::test_z", "tests/test_mix.py::test_unicode",
            ]
        )
    }

    @Test func xunit2WithoutFileAttributesGivesTheSameResultsAsXunit1() {
        let one = read(Fixtures.pytestXunit1)
        let two = read(Fixtures.pytestXunit2)
        #expect(two.state == .ok)
        #expect(two.tests.map(\.id) == one.tests.map(\.id))
        #expect(two.tests.map(\.file) == one.tests.map(\.file))
        #expect(two.tests.map(\.status) == one.tests.map(\.status))
        #expect(two.tests.map(\.failure?.message) == one.tests.map(\.failure?.message))
    }

    @Test func xunit2WithoutCandidatesUsesPytestsModuleMapping() {
        let guessed = read(Fixtures.pytestXunit2, candidates: [])
        let known = read(Fixtures.pytestXunit2)
        #expect(guessed.tests.map(\.id) == known.tests.map(\.id))
    }

    @Test func passedTestsCarryTheirFileAndDuration() throws {
        let pass = try test(read(Fixtures.pytestXunit1), "tests/test_mix.py::test_pass")
        #expect(pass.status == .passed)
        #expect(pass.file == "tests/test_mix.py")
        #expect(pass.classname == "tests.test_mix")
        #expect(pass.name == "test_pass")
        #expect(pass.duration == 0.001)
        #expect(pass.failure == nil)
    }

    @Test func assertionFailureTakesTypeAndFirstLineAndKeepsTheTraceback() throws {
        let fail = try test(read(Fixtures.pytestXunit1), "tests/test_mix.py::test_fail")
        #expect(fail.status == .failed)
        let failure = try #require(fail.failure)
        #expect(failure.message == "AssertionError: math is broken")
        #expect(failure.type == "AssertionError")
        #expect(failure.phase == .call)
        #expect(failure.details.contains("tests/test_mix.py:8: AssertionError"))
    }

    @Test func bareAssertGetsItsTypeFromTheCrashLine() throws {
        let result = read(Fixtures.pytestXunit1)
        let param = try test(result, "tests/test_mix.py::test_param[1]")
        #expect(param.failure?.message == "assert 1 != 1")
        #expect(param.failure?.type == "AssertionError")
        let inner = try test(result, "tests/test_mix.py::TestX::TestInner::test_z")
        #expect(inner.failure?.message == "KeyError: 'k'")
        #expect(inner.failure?.type == "KeyError")
        #expect(inner.classname == "tests.test_mix.TestX.TestInner")
    }

    @Test func setupErrorIsAnErrorInSetupWithTheExceptionMessage() throws {
        let error = try test(read(Fixtures.pytestXunit1), "tests/test_mix.py::test_fixture_error")
        #expect(error.status == .error)
        #expect(error.failure?.phase == .setup)
        #expect(error.failure?.message == "RuntimeError: Failed to start Docker services")
        #expect(error.failure?.type == "RuntimeError")
    }

    @Test func teardownErrorIsAnErrorInTeardown() throws {
        let error = try test(read(Fixtures.pytestXunit2), "tests/test_mix.py::test_teardown_error")
        #expect(error.status == .error)
        #expect(error.failure?.phase == .teardown)
        #expect(error.failure?.message == "ValueError: teardown exploded")
        #expect(error.failure?.type == "ValueError")
    }

    @Test func failedCallFollowedByTeardownErrorIsOneResultKeepingTheCallFailure() throws {
        let result = read(Fixtures.pytestXunit1)
        #expect(result.tests.filter { $0.id == "tests/test_mix.py::test_fail_and_teardown_error" }.count == 1)
        let merged = try test(result, "tests/test_mix.py::test_fail_and_teardown_error")
        #expect(merged.status == .failed)
        #expect(merged.failure?.message == "assert False")
        #expect(merged.failure?.phase == .call)
        #expect(merged.failure?.details.contains("then in teardown: ValueError: teardown exploded") == true)
    }

    @Test func collectionErrorIsAFileLevelErrorNamingTheException() throws {
        let error = try test(read(Fixtures.pytestXunit2), "tests/test_bad.py")
        #expect(error.file == "tests/test_bad.py")
        #expect(error.status == .error)
        #expect(error.failure?.phase == .collection)
        #expect(error.failure?.message == "ModuleNotFoundError: No module named 'nonexistent_module_xyz'")
        #expect(error.failure?.type == "ModuleNotFoundError")
    }

    @Test func syntaxAndImportTimeErrorsNameTheirException() throws {
        let result = read(Fixtures.pytestCollectionErrors, candidates: ["test_rt.py", "test_syn.py"])
        let runtime = try test(result, "test_rt.py")
        #expect(runtime.failure?.message == "RuntimeError: boom at import")
        let syntax = try test(result, "test_syn.py")
        #expect(syntax.failure?.message == "SyntaxError: invalid syntax")
        #expect(syntax.failure?.type == "SyntaxError")
    }

    @Test func skipsXfailsAndModuleSkipsKeepTheirReasons() throws {
        let result = read(Fixtures.pytestXunit1)
        #expect(try test(result, "tests/test_mix.py::test_skip").skipReason == "not today")
        #expect(try test(result, "tests/test_mix.py::test_skip_inside").skipReason == "runtime skip")
        let xfail = try test(result, "tests/test_mix.py::test_xfail")
        #expect(xfail.status == .skipped)
        #expect(xfail.skipReason == "xfail: known bug")
        let module = try test(result, "tests/sub/test_modskip.py")
        #expect(module.status == .skipped)
        #expect(module.skipReason == "whole module skipped")
        #expect(try test(result, "tests/test_mix.py::test_xpass").status == .passed)
        #expect(try test(result, "tests/test_mix.py::test_xpass_strict").status == .failed)
    }

    @Test func escapedTextAndUnicodeComeBackAsWritten() throws {
        let result = read(Fixtures.pytestXunit1)
        #expect(
            try test(result, "tests/test_mix.py::test_ctrl").failure?.message == "AssertionError: bad #x02 char <&>\""
        )
        #expect(try test(result, "tests/test_mix.py::test_unicode").failure?.message == "AssertionError: ünïcödé")
    }

    @Test func interruptedRunDropsTheNamelessTestCase() {
        let result = read(Fixtures.pytestInterrupted, candidates: ["test_a.py", "test_b.py"])
        #expect(result.state == .ok)
        #expect(result.tests.map(\.id) == ["test_a.py::test_1", "test_a.py::test_2"])
    }

    @Test func rootdirBelowTheSuiteRootIsAbsorbedByCandidatesOrPrefix() {
        let byCandidates = read(Fixtures.pytestInterrupted, candidates: ["suite/test_a.py", "suite/test_b.py"])
        #expect(byCandidates.tests.map(\.id) == ["suite/test_a.py::test_1", "suite/test_a.py::test_2"])
        let byPrefix = read(Fixtures.pytestInterrupted, candidates: [], prefix: "suite")
        #expect(byPrefix.tests.map(\.id) == ["suite/test_a.py::test_1", "suite/test_a.py::test_2"])
        let xunit1 = read(
            Fixtures.pytestXunit1.replacingOccurrences(of: "file=\"tests/", with: "file=\""),
            candidates: Self.mixedSuiteFiles
        )
        #expect(xunit1.tests.contains { $0.id == "tests/test_mix.py::TestX::test_y" })
    }

    @Test func ambiguousSuffixIsNotGuessed() {
        let result = read(Fixtures.pytestInterrupted, candidates: ["a/test_a.py", "b/test_a.py"])
        #expect(result.tests.map(\.file) == ["test_a.py", "test_a.py"])
    }
}
