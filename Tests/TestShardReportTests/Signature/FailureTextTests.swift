import TestShardModel
import Testing

@testable import TestShardReport

/// Step 0: choosing the text to normalize from what pytest's JUnit XML carries.
@Suite struct FailureTextTests {
    func result(_ failure: TestFailure, status: TestStatus = .failed, name: String = "test_f") -> TestCaseResult {
        TestCaseResult(
            id: "tests/t.py::\(name)",
            file: "tests/t.py",
            classname: "tests.t",
            name: name,
            status: status,
            duration: 1,
            failure: failure
        )
    }

    @Test func setupWrapperIsUnwrapped() {
        let text = FailureText(
            result: result(
                TestFailure(message: "failed on setup with \"RuntimeError: Failed to start Docker services\""),
                status: .error
            )
        )
        #expect(text.message == "RuntimeError: Failed to start Docker services")
        #expect(text.exceptionType == "RuntimeError")
        #expect(text.phase == .setup)
    }

    @Test func teardownWrapperGivesTheTeardownPhase() {
        let text = FailureText(
            result: result(TestFailure(message: "failed on teardown with \"OSError: busy\""), status: .error)
        )
        #expect(text.phase == .teardown)
        #expect(text.message == "OSError: busy")
    }

    @Test func collectionFailureTakesTheExceptionLine() {
        let details = """
            ImportError while importing test module '/home/ci/suite/tests/t.py'.
            Hint: make sure your test modules/packages have valid Python names.
            Traceback:
            tests/t.py:3: in <module>
                import grpc_tools
            E   ModuleNotFoundError: No module named 'grpc_tools'
            """
        let text = FailureText(
            result: result(TestFailure(message: "collection failure", details: details), status: .error)
        )
        #expect(text.phase == .collection)
        #expect(text.message == "ModuleNotFoundError: No module named 'grpc_tools'")
        #expect(text.exceptionType == "ModuleNotFoundError")
    }

    @Test func bareAssertIsAnAssertionErrorWithItsCrashLocation() {
        let details = """
                def test_sum():
                    total = 3
            >       assert total == 5
            E       assert 3 == 5

            /home/ci/suite/tests/test_x.py:12: AssertionError
            """
        let text = FailureText(
            result: result(TestFailure(message: "assert 3 == 5\n +  where 3 = sum()", details: details)),
            repoRoots: ["/home/ci/suite"]
        )
        #expect(text.message == "assert 3 == 5")
        #expect(text.exceptionType == "AssertionError")
        #expect(text.phase == .call)
        #expect(text.crashLocation == "tests/test_x.py::test_sum")
    }

    @Test func withoutATracebackTheTestIsTheLocation() {
        let text = FailureText(result: result(TestFailure(message: "AssertionError"), name: "test_sum[1-2]"))
        #expect(text.crashLocation == "tests/t.py::test_sum")
    }

    @Test func aSeparateTypeIsShownTheWayPythonPrintsIt() {
        let text = FailureText(
            result: result(TestFailure(type: "requests.exceptions.ConnectionError", message: "Max retries exceeded"))
        )
        #expect(text.message == "ConnectionError: Max retries exceeded")
        #expect(text.exceptionType == "requests.exceptions.ConnectionError")
    }

    @Test func emptyMessageFallsBackToTheDetails() {
        let text = FailureText(
            result: result(TestFailure(message: "", details: "stuff\nE   ValueError: bad value\nmore"))
        )
        #expect(text.message == "ValueError: bad value")
    }

    @Test func lastMeaningfulLogLineSkipsProgressAndBanners() {
        let lines = [
            "Waiting for service backend…",
            "....F..s.                                   [ 45%]",
            "+++++++++++++++++++ Timeout +++++++++++++++++++",
            "",
        ]
        #expect(LogLines.lastMeaningful(lines) == "Waiting for service backend…")
        #expect(LogLines.lastMeaningful(["", "  "]) == nil)
        #expect(LogLines.tail(["a", "", "b\nc"], count: 2) == ["b", "c"])
    }
}
