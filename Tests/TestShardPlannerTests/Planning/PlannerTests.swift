import TestShardModel
import Testing

@testable import TestShardPlanner

/// Worked examples; the random-input properties are in PlannerPropertyTests.
@Suite("Planner")
struct PlannerTests {
    private func file(
        _ path: String,
        _ seconds: Double,
        tests: [Double] = [],
        source: EstimateSource = .history
    ) -> PlanFile {
        PlanFile(
            path: path,
            estimate: Estimate(seconds: seconds, source: source),
            tests: tests.enumerated().map { PlanTest(name: "test_\($0)", seconds: $1) }
        )
    }

    private func plan(_ files: [PlanFile], shards: Int) throws -> Plan {
        try Planner(shardCount: shards).plan(files)
    }

    @Test func placesLongestFirstOntoTheLeastLoadedShard() throws {
        let result = try plan(
            [file("a", 5), file("b", 4), file("c", 3), file("d", 3), file("e", 2), file("f", 1)],
            shards: 2
        )
        // LPT: a→0, b→1, c→1 (4<5), d→0 (5<7), e→1 (7<8), f→0 (8<9).
        #expect(result.shards.map(\.items) == [["a", "d", "f"], ["b", "c", "e"]])
        #expect(result.shards.map(\.estimatedSeconds) == [9, 9])
        #expect(result.estimatedMakespanSeconds == 9)
        #expect(result.lowerBoundSeconds == 9)
        #expect(result.totalSeconds == 18)
        #expect(result.longestItem == Plan.LongestItem(item: "a", seconds: 5))
    }

    @Test func breaksTiesByPathAndLowestShard() throws {
        let result = try plan([file("z", 1), file("y", 1), file("x", 1)], shards: 3)
        #expect(result.shards.map(\.items) == [["x"], ["y"], ["z"]])
    }

    @Test func listsItemsInsideAShardByID() throws {
        let result = try plan([file("b", 1), file("a", 1), file("c", 5)], shards: 2)
        #expect(result.shards[1].items == ["a", "b"])
    }

    @Test func cutsAFileLongerThanTheIdealShardIntoItsTests() throws {
        // 40 s file with tests, 20 s of small files, 3 shards: ideal 20 s; the big file must go.
        var files = [file("tests/big.py", 40, tests: [10, 10, 10, 10])]
        files += (0..<20).map { file("tests/small_\($0).py", 1) }
        let result = try plan(files, shards: 3)
        #expect(result.splitFiles == ["tests/big.py"])
        let items = result.shards.flatMap(\.items)
        #expect(!items.contains("tests/big.py"))
        #expect(
            items.filter { $0.file == "tests/big.py" }.map(\.id).sorted() == (0..<4).map { "tests/big.py::test_\($0)" }
        )
        #expect(result.estimatedMakespanSeconds == 20)
        #expect(result.longestItem == Plan.LongestItem(item: "tests/big.py::test_0", seconds: 10))
    }

    @Test func leavesAFileWholeWhenItDoesNotHoldUpTheRun() throws {
        let files = [file("a.py", 5, tests: [2, 3])] + (0..<10).map { file("s\($0).py", 1) }
        let result = try plan(files, shards: 3)
        #expect(result.splitFiles.isEmpty)
        #expect(result.shards.flatMap(\.items).contains("a.py"))
    }

    @Test func cannotCutAFileWithoutTestEstimates() throws {
        let result = try plan([file("giant.rb", 100), file("a.rb", 1), file("b.rb", 1)], shards: 2)
        #expect(result.splitFiles.isEmpty)
        #expect(result.lowerBoundSeconds == 100)
        #expect(result.estimatedMakespanSeconds == 100)
        #expect(result.longestItem?.item == "giant.rb")
    }

    @Test func cutsMoreFilesWhenChunkyFilesStillMissTheBound() throws {
        // Five 6 s files on 4 shards with 10 s of small work: whole files give ≥ 12 s, the bound is 10 s.
        var files = (0..<5).map { file("c\($0).py", 6, tests: [1, 1, 1, 1, 1, 1]) }
        files += (0..<10).map { file("s\($0).py", 1) }
        let result = try plan(files, shards: 4)
        #expect(!result.splitFiles.isEmpty)
        #expect(result.splitFiles.count <= 4)
        #expect(result.estimatedMakespanSeconds <= 1.01 * 10)
    }

    @Test func respectsTheSplitLimit() throws {
        let files = (0..<6).map { file("big\($0).py", 10, tests: [5, 5]) } + [file("s.py", 1)]
        let configuration = try PlannerConfiguration(shardCount: 12, maxSplitFiles: 2)
        let result = try Planner(configuration: configuration).plan(files)
        #expect(result.splitFiles.count <= 2)
        let never = try Planner(configuration: PlannerConfiguration(shardCount: 12, maxSplitFiles: 0)).plan(files)
        #expect(never.splitFiles.isEmpty)
    }

    @Test func spreadsZeroSecondItemsInsteadOfPilingThemOnOneShard() throws {
        let result = try plan((0..<8).map { file("t\($0).py", 0) }, shards: 4)
        #expect(result.shards.map(\.items.count) == [2, 2, 2, 2])
    }

    @Test func leavesShardsEmptyOnlyWhenThereAreFewerItemsThanShards() throws {
        let result = try plan([file("a", 3), file("b", 2)], shards: 4)
        #expect(result.shards.count == 4)
        #expect(result.shards.map(\.index) == [0, 1, 2, 3])
        #expect(result.shards.filter(\.items.isEmpty).count == 2)
    }

    @Test func plansNothingIntoEmptyShards() throws {
        let result = try plan([], shards: 3)
        #expect(result.shards.map(\.items) == [[], [], []])
        #expect(result.lowerBoundSeconds == 0)
        #expect(result.longestItem == nil)
    }

    @Test func refinesWhereLongestFirstMissesTheBound() throws {
        // The classic LPT trap: 3,3,2,2,2 on 2 shards. LPT gives 7 (3+2+2 | 3+2); optimum 6 (3+3 | 2+2+2).
        let files = [file("a", 3), file("b", 3), file("c", 2), file("d", 2), file("e", 2)]
        let result = try plan(files, shards: 2)
        #expect(result.estimatedMakespanSeconds == 6)
        #expect(result.shards.allSatisfy { !$0.items.isEmpty })
    }

    @Test func namesFilesPlannedOnAGuess() throws {
        let result = try plan(
            [file("a.py", 3), file("b.py", 2, source: .folderMedian), file("c.py", 1, source: .default)],
            shards: 2
        )
        #expect(result.unknownFiles == ["b.py", "c.py"])
    }

    @Test func rejectsInputThatCannotBePlanned() {
        func code(_ files: [PlanFile]) -> PlannerError.Code? {
            do {
                _ = try Planner(shardCount: 2).plan(files)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code([file("a", 1), file("a", 2)]) == .duplicateItem)
        #expect(
            code([
                PlanFile(
                    path: "a",
                    estimate: Estimate(seconds: 1, source: .history),
                    tests: [PlanTest(name: "t", seconds: 1), PlanTest(name: "t", seconds: 1)]
                )
            ]) == .duplicateItem
        )
        #expect(code([file("a::b", 1)]) == .invalidName)
        #expect(code([file("", 1)]) == .invalidName)
        #expect(code([file("a", -1)]) == .invalidEstimate)
        #expect(code([file("a", .nan)]) == .invalidEstimate)
        #expect(code([file("a", 1, tests: [1, .infinity])]) == .invalidEstimate)
        #expect(throws: PlannerError.self) { try Planner(shardCount: 0) }
        #expect(throws: PlannerError.self) { try PlannerConfiguration(shardCount: 2, tolerance: -1) }
    }
}
