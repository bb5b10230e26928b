import TestShardModel
import Testing

@testable import TestShardPlanner

/// Properties over random inputs from a fixed-seed generator: exact coverage, determinism, the
/// bound, no empty shard, the cut limit. Each case is reproducible from its seed.
@Suite("Planner properties")
struct PlannerPropertyTests {
    enum Shape: String, CaseIterable, Sendable {
        /// Lognormal file sizes (σ 1.5), every file with per-test estimates.
        case lognormalTests
        /// Pareto-tailed file sizes (α 1.1): a few files dominate; every file has tests.
        case heavyTailTests
        /// Few, chunky files (N to 3N), every file with tests.
        case chunkyTests
        /// File-level only (no tests) with many files (≥ 20 per shard), heavy tail.
        case manyFilesNoTests
        /// Mixed: some files with tests, some without, some zero-second items.
        case mixed
    }

    static let seeds: [UInt64] = Array(1...40)

    /// Random input for a shape, and the shard count.
    static func input(_ shape: Shape, seed: UInt64) -> (files: [PlanFile], shards: Int) {
        var random = SeededGenerator(seed: seed &* 7919 &+ UInt64(Shape.allCases.firstIndex(of: shape)!))
        let shards = [2, 3, 4, 7, 8, 16, 32][Int(random.next() % 7)]
        var files: [PlanFile] = []
        func makeFile(_ index: Int, seconds: Double, testCount: Int) -> PlanFile {
            // Split the file's time over its tests with random weights (some tests dominate).
            let weights = (0..<testCount).map { _ in random.pareto(minimum: 1, alpha: 1.5) }
            let sum = weights.reduce(0, +)
            let tests = weights.enumerated().map { PlanTest(name: "Test::case_\($0)", seconds: seconds * $1 / sum) }
            let total = tests.reduce(0) { $0 + $1.seconds }
            return PlanFile(
                path: "tests/area\(index % 7)/test_\(index).py",
                estimate: Estimate(seconds: testCount > 0 ? total : seconds, source: .history),
                tests: tests
            )
        }
        switch shape {
        case .lognormalTests:
            let count = shards * (5 + Int(random.next() % 40))
            for index in 0..<count {
                files.append(
                    makeFile(
                        index,
                        seconds: random.lognormal(median: 2, sigma: 1.5),
                        testCount: 5 + Int(random.next() % 46)
                    )
                )
            }
        case .heavyTailTests:
            let count = shards * (3 + Int(random.next() % 30))
            for index in 0..<count {
                files.append(
                    makeFile(
                        index,
                        seconds: random.pareto(minimum: 0.5, alpha: 1.1),
                        testCount: 10 + Int(random.next() % 41)
                    )
                )
            }
        case .chunkyTests:
            let count = shards + Int(random.next() % UInt64(2 * shards + 1))
            for index in 0..<count {
                files.append(
                    makeFile(
                        index,
                        seconds: random.lognormal(median: 30, sigma: 0.5),
                        testCount: 10 + Int(random.next() % 41)
                    )
                )
            }
        case .manyFilesNoTests:
            let count = shards * (20 + Int(random.next() % 100))
            for index in 0..<count {
                files.append(makeFile(index, seconds: min(random.pareto(minimum: 0.2, alpha: 1.5), 200), testCount: 0))
            }
        case .mixed:
            let count = shards + Int(random.next() % UInt64(30 * shards))
            for index in 0..<count {
                let seconds = random.unit() < 0.1 ? 0 : random.lognormal(median: 3, sigma: 1.2)
                let tests = random.unit() < 0.4 ? 2 + Int(random.next() % 20) : 0
                files.append(makeFile(index, seconds: seconds, testCount: tests))
            }
        }
        return (files, shards)
    }

    /// Every file once, whole or as all of its tests (split files only), nothing else.
    static func checkCoverage(_ plan: Plan, _ files: [PlanFile]) {
        let items = plan.shards.flatMap(\.items)
        #expect(Set(items).count == items.count, "an item is in two shards")
        let split = Set(plan.splitFiles)
        var expected: [WorkItem] = []
        for file in files {
            if split.contains(file.path) {
                expected += file.tests.map { WorkItem(file: file.path, test: $0.name) }
            } else {
                expected.append(WorkItem(file.path))
            }
        }
        #expect(items.sorted() == expected.sorted())
        #expect(split.allSatisfy { path in files.first { $0.path == path }!.tests.count >= 2 })
    }

    @Test(arguments: Shape.allCases, seeds)
    func coversEveryItemExactlyOnce(shape: Shape, seed: UInt64) throws {
        let (files, shards) = Self.input(shape, seed: seed)
        let plan = try Planner(shardCount: shards).plan(files)
        Self.checkCoverage(plan, files)
        #expect(plan.shards.map(\.index) == Array(0..<shards))
        for shard in plan.shards {
            #expect(shard.items == shard.items.sorted(), "items are listed by id")
        }
    }

    @Test(arguments: Shape.allCases, seeds)
    func isDeterministicWhateverTheInputOrder(shape: Shape, seed: UInt64) throws {
        let (files, shards) = Self.input(shape, seed: seed)
        var random = SeededGenerator(seed: seed)
        let shuffled = files.shuffled(using: &random).map { file in
            PlanFile(path: file.path, estimate: file.estimate, tests: file.tests.shuffled(using: &random))
        }
        let planner = try Planner(shardCount: shards)
        let first = try planner.plan(files)
        #expect(try planner.plan(shuffled) == first)
        #expect(try planner.plan(files).jsonData() == first.jsonData())
    }

    @Test(arguments: Shape.allCases, seeds)
    func reachesTheBound(shape: Shape, seed: UInt64) throws {
        let (files, shards) = Self.input(shape, seed: seed)
        let plan = try Planner(shardCount: shards).plan(files)
        // The physical limit: total / N, or the longest unit no cut can shorten.
        let total = files.reduce(0) { $0 + $1.estimate.seconds }
        let longest =
            files.map { $0.tests.count >= 2 ? $0.tests.map(\.seconds).max()! : $0.estimate.seconds }.max() ?? 0
        let bound = max(total / Double(shards), longest)
        switch shape {
        case .lognormalTests, .heavyTailTests, .chunkyTests, .manyFilesNoTests:
            #expect(
                plan.estimatedMakespanSeconds <= 1.01 * bound + 1e-9,
                "makespan \(plan.estimatedMakespanSeconds) bound \(bound)"
            )
        case .mixed:
            // Unsplittable chunky files can make the bound unreachable; list scheduling's guarantee holds.
            #expect(plan.estimatedMakespanSeconds <= total / Double(shards) + longest + 1e-9)
        }
        #expect(plan.lowerBoundSeconds <= plan.estimatedMakespanSeconds + 1e-9)
        #expect(
            abs(plan.totalSeconds - plan.shards.reduce(0) { $0 + $1.estimatedSeconds }) <= 1e-9
                * max(1, plan.totalSeconds)
        )
        #expect(plan.estimatedMakespanSeconds == plan.shards.map(\.estimatedSeconds).max())
    }

    @Test(arguments: Shape.allCases, seeds)
    func neverLeavesAShardEmptyWhenThereAreEnoughItems(shape: Shape, seed: UInt64) throws {
        let (files, shards) = Self.input(shape, seed: seed)
        let plan = try Planner(shardCount: shards).plan(files)
        if files.count >= shards {
            #expect(plan.shards.allSatisfy { !$0.items.isEmpty })
        }
    }

    @Test(arguments: Shape.allCases, seeds)
    func cutsAtMostTheAllowedNumberOfFiles(shape: Shape, seed: UInt64) throws {
        let (files, shards) = Self.input(shape, seed: seed)
        #expect(try Planner(shardCount: shards).plan(files).splitFiles.count <= shards)
        let limited = try Planner(configuration: PlannerConfiguration(shardCount: shards, maxSplitFiles: 1)).plan(files)
        #expect(limited.splitFiles.count <= 1)
        Self.checkCoverage(limited, files)
    }

    /// A caller may skip reading tests whenever whole files already balance: the plan must then be
    /// the one `plan` makes with the tests. Run over every shape and seed, so both answers occur.
    @Test(arguments: Shape.allCases, seeds)
    func aPlanWithoutCutsIsThePlanWithTests(shape: Shape, seed: UInt64) throws {
        let (files, shards) = Self.input(shape, seed: seed)
        let planner = try Planner(shardCount: shards)
        let full = try planner.plan(files)
        if let whole = try planner.planWithoutCuts(files) {
            #expect(whole == full)
            #expect(whole.splitFiles.isEmpty)
        }
        // With a tolerance of N any whole-file plan is within it: every input gets its plan here,
        // and it is again the full planner's.
        let lenient = try Planner(configuration: PlannerConfiguration(shardCount: shards, tolerance: Double(shards)))
        let lenientWhole = try #require(try lenient.planWithoutCuts(files))
        #expect(lenientWhole == (try lenient.plan(files)))
    }

    @Test func bothAnswersOfPlanWithoutCutsOccur() throws {
        var balanced = 0
        var unbalanced = 0
        for shape in Shape.allCases {
            for seed in Self.seeds {
                let (files, shards) = Self.input(shape, seed: seed)
                if try Planner(shardCount: shards).planWithoutCuts(files) != nil {
                    balanced += 1
                } else {
                    unbalanced += 1
                }
            }
        }
        #expect(balanced > 10)
        #expect(unbalanced > 10)
    }
}
