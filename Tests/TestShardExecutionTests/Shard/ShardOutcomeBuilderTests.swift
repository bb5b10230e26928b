import TestShardJUnit
import TestShardModel
import Testing

@testable import TestShardExecution

@Suite("ShardOutcomeBuilder")
struct ShardOutcomeBuilderTests {
    private func result(_ id: String, _ status: TestStatus = .passed) -> TestCaseResult {
        TestCaseResult(
            id: id,
            file: WorkItem(id).file,
            classname: "",
            name: "",
            status: status,
            duration: 0.1,
            failure: status.isFailure ? TestFailure(message: "boom") : nil
        )
    }

    private func evidence(
        items: [WorkItem],
        runner: ShardRunnerKind = .pytest,
        termination: ProcessOutcome.Termination = .exited(0),
        timedOut: Bool = false,
        cancelled: Bool = false,
        junit: [TestCaseResult],
        state: JUnitFileState = .ok,
        progress: [TestCaseResult] = [],
        unfinished: [String] = [],
        tail: [String] = ["last words"]
    ) -> ShardEvidence {
        ShardEvidence(
            items: items,
            runner: runner,
            termination: termination,
            timedOut: timedOut,
            cancelled: cancelled,
            timeout: 3,
            junit: JUnitReadResult(
                tests: junit,
                state: state,
                reason: state == .ok ? nil : "the result file is \(state)"
            ),
            progressResults: progress,
            unfinishedTests: unfinished,
            logTail: tail
        )
    }

    @Test func cleanRunIsOkAndAnEmptyFileIsWithoutTests() {
        let decision = ShardOutcomeBuilder.build(
            evidence(items: ["a.py", "empty.py"], junit: [result("a.py::t1"), result("a.py::t2")])
        )
        #expect(decision.exit == ShardExit(kind: .ok, code: 0))
        #expect(decision.itemsWithoutTests == ["empty.py"])
        #expect(decision.itemsWithoutResults.isEmpty)
        #expect(decision.lastStartedItem == nil)
    }

    @Test func pytestExitOneWithFailuresIsTestsFailed() {
        let decision = ShardOutcomeBuilder.build(
            evidence(items: ["a.py"], termination: .exited(1), junit: [result("a.py::t", .failed)])
        )
        #expect(decision.exit.kind == .testsFailed)
        #expect(decision.exit.reason == nil)
    }

    @Test func pytestNoTestsCollectedIsANormalEnd() {
        let decision = ShardOutcomeBuilder.build(evidence(items: ["empty.py"], termination: .exited(5), junit: []))
        #expect(decision.exit.kind == .ok)
        #expect(decision.itemsWithoutTests == ["empty.py"])
    }

    @Test func otherRunnerExitFiveIsACrash() {
        let decision = ShardOutcomeBuilder.build(
            evidence(items: ["a.js"], runner: .junit, termination: .exited(5), junit: [])
        )
        #expect(decision.exit.kind == .crash)
        #expect(decision.itemsWithoutResults == ["a.js"])
    }

    @Test func otherRunnerNonZeroWithFailuresIsTestsFailed() {
        let decision = ShardOutcomeBuilder.build(
            evidence(items: ["a.js"], runner: .junit, termination: .exited(7), junit: [result("a.js::t", .failed)])
        )
        #expect(decision.exit.kind == .testsFailed)
    }

    @Test func interruptedSessionIsACrashAndLeavesTheOtherItemsWithoutResults() {
        let decision = ShardOutcomeBuilder.build(
            evidence(items: ["a.py", "bad.py", "c.py"], termination: .exited(2), junit: [result("bad.py", .error)])
        )
        #expect(decision.exit.kind == .crash)
        #expect(
            decision.exit.reason
                == "exit code 2 (pytest: interrupted, e.g. by a collection error); last output: last words"
        )
        #expect(decision.itemsWithoutResults == ["a.py", "c.py"])
        #expect(decision.itemsWithoutTests.isEmpty)
    }

    @Test func exitOneWithoutAnyFailureIsACrash() {
        let decision = ShardOutcomeBuilder.build(
            evidence(items: ["a.py"], termination: .exited(1), junit: [result("a.py::t")])
        )
        #expect(decision.exit.kind == .crash)
    }

    @Test func signalIsACrashNamingIt() {
        let decision = ShardOutcomeBuilder.build(
            evidence(items: ["a.py"], termination: .signaled(11), junit: [], state: .missing)
        )
        #expect(
            decision.exit
                == ShardExit(kind: .crash, signal: 11, reason: "killed by signal 11 (SIGSEGV); last output: last words")
        )
        #expect(decision.itemsWithoutResults == ["a.py"])
    }

    @Test func missingJUnitAfterANormalExitIsNoResults() {
        let decision = ShardOutcomeBuilder.build(
            evidence(items: ["a.py"], termination: .exited(0), junit: [], state: .truncated)
        )
        #expect(decision.exit.kind == .noResults)
        #expect(decision.exit.reason?.contains("truncated") == true)
        #expect(decision.exit.reason?.hasSuffix("last output: last words") == true)
        #expect(decision.itemsWithoutResults == ["a.py"])
    }

    @Test func timeoutNamesTheRunningTestAndItsItemLacksResultsEvenWithSomeTestsDone() {
        let decision = ShardOutcomeBuilder.build(
            evidence(
                items: ["a.py", "hang.py", "z.py"],
                termination: .exited(2),
                timedOut: true,
                junit: [result("a.py::t"), result("hang.py::before")],
                unfinished: ["hang.py::test_hang"]
            )
        )
        #expect(decision.exit.kind == .timeout)
        #expect(decision.exit.reason == "timed out after 3s while running hang.py::test_hang; last output: last words")
        #expect(decision.lastStartedItem == "hang.py")
        #expect(decision.lastStartedTest == "hang.py::test_hang")
        #expect(decision.itemsWithoutResults == ["hang.py", "z.py"])
        #expect(decision.tests.count == 2)
    }

    @Test func progressFillsInWhenTheJUnitIsMissingButNeverDuplicates() {
        let decision = ShardOutcomeBuilder.build(
            evidence(
                items: ["a.py", "b.py", "c.py"],
                termination: .signaled(9),
                timedOut: true,
                junit: [result("a.py::t")],
                state: .truncated,
                progress: [result("a.py::t"), result("b.py::t", .failed)],
                unfinished: ["c.py::t"]
            )
        )
        #expect(decision.tests.map(\.id) == ["a.py::t", "b.py::t"])
        #expect(decision.recoveredTests == 1)
        #expect(decision.itemsWithoutResults == ["c.py"])
        #expect(decision.lastStartedItem == "c.py")
    }

    @Test func progressIsIgnoredWhenTheJUnitIsComplete() {
        let decision = ShardOutcomeBuilder.build(
            evidence(items: ["a.py"], junit: [result("a.py::t")], progress: [result("a.py::other")])
        )
        #expect(decision.tests.map(\.id) == ["a.py::t"])
        #expect(decision.recoveredTests == 0)
    }

    @Test func splitItemsAreCoveredByTheirTestParametrizationsAndNestedTests() {
        let decision = ShardOutcomeBuilder.build(
            evidence(
                items: ["a.py::test_p", "a.py::TestC", "a.py::test_gone", "a.py::test_pp"],
                junit: [
                    result("a.py::test_p[1]"), result("a.py::test_p[2]"), result("a.py::TestC::test_m"),
                    result("b.py::x"),
                ]
            )
        )
        #expect(decision.itemsWithoutTests == ["a.py::test_gone", "a.py::test_pp"])
        #expect(decision.testsOutsideItems == ["b.py::x"])
    }

    @Test func cancelledWinsOverEverythingElse() {
        let decision = ShardOutcomeBuilder.build(
            evidence(items: ["a.py"], termination: .signaled(2), timedOut: false, cancelled: true, junit: [])
        )
        #expect(decision.exit.kind == .cancelled)
        #expect(decision.itemsWithoutResults == ["a.py"])
    }
}
