import TestShardModel
import Testing

@testable import TestShardExecution

@Suite("RunnerInvocationPlanner, decision merging and the preparation gate")
struct RunnerInvocationPlannerTests {
    @Test(arguments: [ShardRunnerKind.pytest, .junit])
    func oneProcessGetsTheItems(_ runner: ShardRunnerKind) {
        let plan = RunnerInvocationPlanner.plan(runner, items: ["tests/a.py", "tests/b.py::test_x"])
        #expect(plan.invocations.map(\.selection) == [["tests/a.py", "tests/b.py::test_x"]])
        #expect(plan.withoutTests.isEmpty)
    }

    @Test func nodeRunsOneProcessPerFileWithPatternsForItsTests() {
        let plan = RunnerInvocationPlanner.plan(
            .node,
            items: ["test/b.test.mjs::x", "test/a.test.mjs", "test/b.test.mjs::g::y", "test/a.test.mjs::z"]
        )
        #expect(plan.invocations.map(\.file) == ["test/b.test.mjs", "test/a.test.mjs"])
        #expect(
            plan.invocations.map(\.selection) == [
                ["--test-name-pattern=^x$", "--test-name-pattern=^y$", "test/b.test.mjs"],
                // The whole file runs anyway: no pattern for its test.
                ["test/a.test.mjs"],
            ]
        )
        #expect(plan.invocations[1].items == ["test/a.test.mjs", "test/a.test.mjs::z"])
    }

    @Test func swiftFiltersEveryItemAndRunsNothingForFilesWithoutTests() {
        let math = SwiftTestDeclarations(testFunctions: ["MathSuite.adds"], importsTesting: true)
        let plan = RunnerInvocationPlanner.plan(
            .swift,
            items: ["Tests/T/Math.swift", "Tests/T/Helpers.swift", "Tests/T/X.swift::XC::testA"],
            declarations: ["Tests/T/Math.swift": math, "Tests/T/Helpers.swift": .init(), "Tests/T/X.swift": .init()]
        )
        #expect(plan.withoutTests == ["Tests/T/Helpers.swift"])
        #expect(plan.invocations.count == 1)
        #expect(plan.invocations[0].items == ["Tests/T/Math.swift", "Tests/T/X.swift::XC::testA"])
        #expect(
            plan.invocations[0].selection == [
                "--filter", #"^T\..*/Math\.swift:[0-9]+:[0-9]+$"#,
                "--filter", #"^T\.XC/testA(/[^/]+:[0-9]+:[0-9]+)?$"#,
            ]
        )
        let nothing = RunnerInvocationPlanner.plan(
            .swift,
            items: ["Tests/T/Helpers.swift"],
            declarations: ["Tests/T/Helpers.swift": .init()]
        )
        #expect(nothing.invocations.isEmpty, "swift test without --filter would run the whole package")
    }

    // MARK: - Merging

    private func decision(
        _ kind: ShardExitKind,
        reason: String? = nil,
        tests: [String] = [],
        missing: [WorkItem] = []
    )
        -> ShardDecision
    {
        ShardDecision(
            exit: ShardExit(kind: kind, reason: reason),
            tests: tests.map {
                TestCaseResult(id: $0, file: WorkItem($0).file, classname: "", name: "", status: .passed, duration: 0)
            },
            itemsWithoutResults: missing,
            itemsWithoutTests: [],
            lastStartedItem: missing.first,
            lastStartedTest: nil,
            testsOutsideItems: [],
            recoveredTests: 0
        )
    }

    @Test func theMostSeriousProcessDecidesTheShardsExit() {
        let merged = ShardDecision.merging(
            [
                (decision(.testsFailed, tests: ["a.mjs::x"]), "a.mjs"),
                (decision(.noResults, reason: "exit code 1", missing: ["b.mjs"]), "b.mjs"),
                (decision(.ok, tests: ["c.mjs::y"]), "c.mjs"),
            ],
            notStarted: []
        )
        #expect(merged.exit == ShardExit(kind: .noResults, reason: "b.mjs: exit code 1"))
        #expect(merged.tests.map(\.id) == ["a.mjs::x", "c.mjs::y"])
        #expect(merged.itemsWithoutResults == ["b.mjs"])
        #expect(merged.lastStartedItem == "b.mjs")
    }

    @Test func itemsOfProcessesNotStartedAreWithoutResults() {
        let merged = ShardDecision.merging(
            [(decision(.timeout, reason: "timed out", missing: ["a.mjs"]), "a.mjs")],
            notStarted: ["b.mjs"]
        )
        #expect(merged.exit.kind == .timeout)
        #expect(merged.exit.reason == "timed out", "one process: no file prefix")
        #expect(merged.itemsWithoutResults == ["a.mjs", "b.mjs"])
    }

    // MARK: - Preparation gate

    @Test func theGateRunsOnceForConcurrentAndLaterCallers() async {
        let gate = PreparationGate()
        let runs = Ticks()
        let outcomes = await withTaskGroup(of: PreparationGate.Outcome?.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    await gate.run(key: "k") {
                        _ = runs.next()
                        try? await Task.sleep(for: .milliseconds(200))
                        return PreparationGate.Outcome(succeeded: true, wallSeconds: 0.2)
                    }
                }
            }
            var all: [PreparationGate.Outcome?] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        #expect(runs.next() == 2, "one run before this read")
        #expect(outcomes.allSatisfy { $0 == nil || $0?.succeeded == true })
        let later = await gate.run(key: "k") { PreparationGate.Outcome(succeeded: false, wallSeconds: 0) }
        #expect(later == nil, "done already: nothing to run")
    }

    @Test func aFailedPreparationRunsAgainNextTime() async {
        let gate = PreparationGate()
        let first = await gate.run(key: "k") { PreparationGate.Outcome(succeeded: false, wallSeconds: 1) }
        let second = await gate.run(key: "k") { PreparationGate.Outcome(succeeded: true, wallSeconds: 2) }
        #expect(first?.succeeded == false)
        #expect(second?.wallSeconds == 2)
    }
}
