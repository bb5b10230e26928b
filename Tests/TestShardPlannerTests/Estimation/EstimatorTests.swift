import Testing

@testable import TestShardPlanner

@Suite("Estimator")
struct EstimatorTests {
    private func passing(_ values: [Double]) -> [DurationSample] {
        values.enumerated().map { DurationSample(seconds: $1, outcome: .passed, recordedAt: Double($0)) }
    }

    private func estimator(_ statistic: EstimatorStatistic, window: Int) throws -> Estimator {
        Estimator(configuration: try EstimatorConfiguration(statistic: statistic, window: window))
    }

    @Test func usesOnlyTheMostRecentWindow() throws {
        // Ten slow old runs, then three fast recent ones: with K = 3 only the fast ones count.
        let samples = passing(Array(repeating: 100, count: 10) + [1, 2, 3])
        #expect(try estimator(.percentile(50), window: 3).figure(samples) == 2)
        #expect(try estimator(.percentile(50), window: 13).figure(samples) == 100)
    }

    @Test func ordersSamplesByTimeNotByPosition() throws {
        let samples = [
            DurationSample(seconds: 1, recordedAt: 300),
            DurationSample(seconds: 50, recordedAt: 100),
            DurationSample(seconds: 2, recordedAt: 200),
        ]
        #expect(try estimator(.percentile(100), window: 2).figure(samples) == 2)
        #expect(try estimator(.ewma(alpha: 0.5), window: 3).figure(samples) == 13.5)  // 50 → 26 → 13.5
    }

    @Test func interpolatesPercentiles() throws {
        let samples = passing([4, 1, 3, 2])
        #expect(try estimator(.percentile(50), window: 10).figure(samples) == 2.5)
        #expect(try estimator(.percentile(0), window: 10).figure(samples) == 1)
        #expect(try estimator(.percentile(100), window: 10).figure(samples) == 4)
        let p90 = try #require(try estimator(.percentile(90), window: 10).figure(samples))
        #expect(abs(p90 - 3.7) < 1e-12)
    }

    @Test func computesMeanAndEWMA() throws {
        #expect(try estimator(.mean, window: 10).figure(passing([1, 2, 6])) == 3)
        // Seeded with the oldest: 10 → 0.25·20 + 0.75·10 = 12.5.
        #expect(try estimator(.ewma(alpha: 0.25), window: 10).figure(passing([10, 20])) == 12.5)
    }

    @Test(arguments: [SampleOutcome.failed, .error, .skipped, .timeout])
    func ignoresSamplesThatAreNotPassingDurations(outcome: SampleOutcome) throws {
        let samples = [
            DurationSample(seconds: 10, outcome: .passed, recordedAt: 1),
            DurationSample(seconds: 600, outcome: outcome, recordedAt: 2),
            DurationSample(seconds: 0.01, outcome: outcome, recordedAt: 3),
        ]
        let figure = try estimator(.percentile(90), window: 2).figure(samples)
        #expect(figure == 10)
        #expect(try estimator(.percentile(50), window: 5).figure([samples[1]]) == nil)
    }

    @Test func mapsTestStatusesToOutcomes() {
        #expect(SampleOutcome(.passed) == .passed)
        #expect(SampleOutcome(.failed) == .failed)
        #expect(SampleOutcome(.error) == .error)
        #expect(SampleOutcome(.skipped) == .skipped)
        #expect(SampleOutcome.allCases.filter(\.countsAsDuration) == [.passed])
    }

    @Test func ignoresUnusableDurations() throws {
        let samples = passing([.nan, -1, .infinity, 4])
        #expect(try estimator(.percentile(50), window: 10).figure(samples) == 4)
    }

    @Test func labelsHistoryEstimatesWithTheirSampleCount() throws {
        let samples = passing([1, 2, 3, 4]) + [DurationSample(seconds: 9, outcome: .failed, recordedAt: 9)]
        let estimates = try estimator(.percentile(50), window: 3).estimateFiles(["a.py"], history: ["a.py": samples])
        #expect(estimates["a.py"] == Estimate(seconds: 3, source: .history, sampleCount: 3))
    }

    @Test func standardSettingIsTheMeasuredOne() {
        // EWMA α 0.2 over the last 20 (docs/BENCHMARKS.md): 1 → 1.2 → 1.56.
        #expect(EstimatorConfiguration.standard.statistic == .ewma(alpha: 0.2))
        #expect(EstimatorConfiguration.standard.window == 20)
        let figure = Estimator().figure(passing([1, 2, 3]))!
        #expect(abs(figure - 1.56) < 1e-12)
    }

    @Test func fillsAnUnknownFileFromItsOwnFolder() {
        let history = [
            "tests/api/a.py": passing([10]),
            "tests/api/b.py": passing([20]),
            "tests/api/c.py": passing([40]),
            "tests/ui/d.py": passing([1000]),
        ]
        // Unpooled: pooling would move the known figures a little before the fill reads them.
        let estimates = Estimator(configuration: .unpooled).estimateFiles(
            Array(history.keys) + ["tests/api/new.py"],
            history: history
        )
        #expect(estimates["tests/api/new.py"] == Estimate(seconds: 20, source: .folderMedian))
    }

    @Test func fillsFromTheNearestFolderThatHasKnownFiles() {
        let history = [
            "tests/api/v1/a.py": passing([10]),
            "tests/api/v2/b.py": passing([30]),
            "tests/ui/c.py": passing([1000]),
            "tests/ui/d.py": passing([2000]),
        ]
        // tests/api/v3 has no known file; tests/api (its parent) has two: median 20. (Unpooled: the
        // four known files would otherwise pool a little within the suite.)
        let estimates = Estimator(configuration: .unpooled).estimateFiles(
            Array(history.keys) + ["tests/api/v3/new.py"],
            history: history
        )
        #expect(estimates["tests/api/v3/new.py"] == Estimate(seconds: 20, source: .folderMedian))
    }

    @Test func fillsFromTheSuiteWhenNoEnclosingFolderHasKnownFiles() {
        let history = ["a/x.py": passing([1]), "b/y.py": passing([3]), "c/z.py": passing([100])]
        let estimates = Estimator().estimateFiles(Array(history.keys) + ["d/new.py", "top.py"], history: history)
        #expect(estimates["d/new.py"] == Estimate(seconds: 3, source: .suiteMedian))
        #expect(estimates["top.py"] == Estimate(seconds: 3, source: .suiteMedian))
    }

    @Test func fallsBackToTheDefaultWhenNothingIsKnown() throws {
        let failedOnly = ["a.py": [DurationSample(seconds: 5, outcome: .failed, recordedAt: 1)]]
        let estimates = Estimator().estimateFiles(["a.py", "b.py"], history: failedOnly)
        #expect(estimates["a.py"] == Estimate(seconds: 1, source: .default))
        #expect(estimates["b.py"] == Estimate(seconds: 1, source: .default))
        let custom = try EstimatorConfiguration(statistic: .percentile(50), window: 5, defaultSeconds: 30)
        #expect(Estimator(configuration: custom).estimateFiles(["a.py"], history: [:])["a.py"]?.seconds == 30)
    }

    @Test func neverEstimatesZero() {
        // Every known file took 0 s: the fill would be 0 and pile every new file onto one shard.
        let history = ["t/a.py": passing([0]), "t/b.py": passing([0])]
        let estimates = Estimator().estimateFiles(["t/a.py", "t/b.py", "t/new.py"], history: history)
        #expect(estimates.values.allSatisfy { $0.seconds > 0 })
        #expect(estimates["t/new.py"]?.source == .folderMedian)
    }

    @Test func flagsFillsAsLowConfidence() {
        #expect(!EstimateSource.history.isLowConfidence)
        #expect(EstimateSource.allCases.filter(\.isLowConfidence) == [.folderMedian, .suiteMedian, .default])
    }

    @Test func onlyFilesInTheInventoryCountAsKnown() {
        // A deleted slow file must not drag the median for new files.
        let history = ["t/gone.py": passing([1000]), "t/a.py": passing([2])]
        let estimates = Estimator().estimateFiles(["t/a.py", "t/new.py"], history: history)
        #expect(estimates.keys.sorted() == ["t/a.py", "t/new.py"])
        #expect(estimates["t/new.py"]?.seconds == 2)
    }

    @Test func attachesTestEstimatesToTheirFiles() {
        let files = Estimator().planFiles(
            ["t/b.py", "t/a.py"],
            fileHistory: ["t/a.py": passing([6])],
            testHistory: [
                "t/a.py::C::test_2": passing([4]),
                "t/a.py::test_1": passing([2]),
                "t/a.py::test_failed": [DurationSample(seconds: 9, outcome: .failed, recordedAt: 1)],
                "t/gone.py::test_x": passing([3]),
            ]
        )
        #expect(files.map(\.path) == ["t/b.py", "t/a.py"])  // the inventory's order
        #expect(files[1].tests == [PlanTest(name: "C::test_2", seconds: 4), PlanTest(name: "test_1", seconds: 2)])
        #expect(files[0].tests.isEmpty)
        #expect(files[0].estimate.source == .folderMedian)
    }

    @Test func computesTestEstimatesOnlyForTheLargestSplittableFiles() throws {
        let fileHistory = ["a.py": passing([30]), "b.py": passing([20]), "c.py": passing([10]), "d.py": passing([5])]
        let tests: [String: [String: [DurationSample]]] = [
            "a.py": ["only": passing([30])],  // one test: cannot be split, does not count
            "b.py": ["t1": passing([10]), "t2": passing([10])],
            "c.py": ["t1": passing([5]), "t2": passing([5])],
            "d.py": ["t1": passing([2]), "t2": passing([3])],
        ]
        let files = Estimator().planFiles(
            ["a.py", "b.py", "c.py", "d.py"],
            fileHistory: fileHistory,
            testHistoryByFile: tests,
            splitCandidates: 2
        )
        #expect(files.map(\.tests.count) == [1, 2, 2, 0])
        let all = Estimator().planFiles(
            ["a.py", "b.py", "c.py", "d.py"],
            fileHistory: fileHistory,
            testHistoryByFile: tests
        )
        #expect(all.map(\.tests.count) == [1, 2, 2, 2])
        // Same plan either way: the planner never reaches d.py.
        for shards in [2, 3, 8] {
            let planner = try Planner(shardCount: shards)
            #expect(try planner.plan(files) == planner.plan(all))
        }
    }

    /// The store's windows (newest first, passing only) give the figures the samples would.
    @Test(arguments: [
        EstimatorConfiguration.standard,
        try! EstimatorConfiguration(statistic: .percentile(50), window: 5),
        try! EstimatorConfiguration(statistic: .mean, window: 3),
    ])
    func windowsGiveTheFiguresOfTheirSamples(configuration: EstimatorConfiguration) {
        var random = SeededGenerator(seed: 11)
        let estimator = Estimator(configuration: configuration)
        var windows: [String: [Double]] = [:]
        var history: [String: [DurationSample]] = [:]
        var files: [String] = []
        for index in 0..<300 {
            let path = "t/f\(index % 9)/test_\(index).py"
            files.append(path)
            let count = Int(random.next() % 30)  // 0…29: some empty, some beyond the window
            guard count > 0 else { continue }
            let window = (0..<count).map { _ in random.lognormal(median: 2, sigma: 1) }
            windows[path] = window
            // The same durations as samples: the first of the window is the newest.
            history[path] = window.enumerated().map {
                DurationSample(seconds: $0.element, outcome: .passed, recordedAt: 1000 - Double($0.offset))
            }
        }
        #expect(estimator.estimateFiles(files, windows: windows) == estimator.estimateFiles(files, history: history))
        for (path, window) in windows {
            #expect(estimator.figure(newestFirst: window) == estimator.figure(history[path]!))
        }
        #expect(estimator.figure(newestFirst: []) == nil)
        #expect(estimator.figure(newestFirst: [.nan, -1]) == nil)
    }

    @Test func testEstimatesFromWindowsAreInNameOrder() {
        let tests = Estimator().testEstimates(windows: ["b": [2], "a": [1, 1], "": [5], "none": []])
        #expect(tests == [PlanTest(name: "a", seconds: 1), PlanTest(name: "b", seconds: 2)])
    }

    @Test func rejectsSettingsThatCannotWork() {
        func code(_ make: () throws(EstimatorError) -> EstimatorConfiguration) -> EstimatorError.Code? {
            do {
                _ = try make()
                return nil
            } catch {
                return error.code
            }
        }
        #expect(
            code { () throws(EstimatorError) in try .init(statistic: .percentile(101), window: 5) }
                == .invalidConfiguration
        )
        #expect(
            code { () throws(EstimatorError) in try .init(statistic: .ewma(alpha: 0), window: 5) }
                == .invalidConfiguration
        )
        #expect(code { () throws(EstimatorError) in try .init(statistic: .mean, window: 0) } == .invalidConfiguration)
        #expect(
            code { () throws(EstimatorError) in try .init(statistic: .mean, window: 3, defaultSeconds: 0) }
                == .invalidConfiguration
        )
        #expect(code { () throws(EstimatorError) in try .init(statistic: .mean, window: 3) } == nil)
    }
}
