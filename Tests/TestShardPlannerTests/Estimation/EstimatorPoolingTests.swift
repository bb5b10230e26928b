import Foundation
import TestShardModel
import Testing

@testable import TestShardPlanner

/// Pooling: a figure from few samples moves toward its folder's by as much as sample noise explains.
@Suite("Estimator pooling")
struct EstimatorPoolingTests {
    private func samples(_ values: [Double]) -> [DurationSample] {
        values.enumerated().map { DurationSample(seconds: $1, outcome: .passed, recordedAt: Double($0)) }
    }

    /// `count` files under `folder`, all truly `seconds` long, each measured `runs` times with
    /// log-normal noise of σ `sigma` (fixed seed).
    private func alike(
        _ count: Int,
        in folder: String,
        seconds: Double,
        runs: Int = 1,
        sigma: Double = 0.3,
        seed: UInt64 = 7
    ) -> [String: [DurationSample]] {
        var random = SplitMix64(seed: seed)
        func normal() -> Double {
            let u = max(random.nextDouble(), 1e-12)
            return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * random.nextDouble())
        }
        var history: [String: [DurationSample]] = [:]
        for index in 0..<count {
            let values = (0..<runs).map { _ in seconds * Foundation.exp(sigma * normal() - sigma * sigma / 2) }
            history["\(folder)/test_\(index).py"] = samples(values)
        }
        return history
    }

    private func spread(_ values: [Double]) -> Double { values.max()! / values.min()! }

    @Test func alikeFilesMeasuredOnceComeCloseToEachOtherInTheSameOrder() throws {
        let history = alike(100, in: "tests/area01", seconds: 0.007)
        let files = history.keys.sorted()
        let raw = Estimator(configuration: try EstimatorConfiguration(statistic: .ewma(alpha: 0.2), window: 20))
            .estimateFiles(files, history: history)
        let pooled = Estimator().estimateFiles(files, history: history)
        let rawValues = files.map { raw[$0]!.seconds }
        let pooledValues = files.map { pooled[$0]!.seconds }
        #expect(spread(rawValues) > 2)
        #expect(spread(pooledValues) < 1.5)
        let median = pooledValues.sorted()[50]
        #expect(pooledValues.filter { abs($0 / median - 1) < 0.05 }.count >= 90)
        // Never out of order: pooling is monotone within a folder of equally sampled files.
        let byRaw = files.sorted { raw[$0]!.seconds < raw[$1]!.seconds }.map { pooled[$0]!.seconds }
        #expect(zip(byRaw, byRaw.dropFirst()).allSatisfy { $0 <= $1 })
        // Close to what they really take: the pooled total is within 10 % of 100 × 7 ms.
        #expect(abs(pooledValues.reduce(0, +) / 0.7 - 1) < 0.1)
        #expect(pooled.values.allSatisfy { $0.source == .history && $0.sampleCount == 1 })
    }

    /// One run measures a folder's files together, so a folder can be off as a whole: 20 folders
    /// of alike files, each folder's figures scaled by one shared noise draw, come together too.
    @Test func foldersMeasuredOnceComeTogetherAsWell() {
        var history: [String: [DurationSample]] = [:]
        var random = SplitMix64(seed: 3)
        for folder in 0..<20 {
            let shared = Foundation.exp(0.25 * (random.nextDouble() * 2 - 1) * 1.7)
            for (path, samples) in alike(
                30,
                in: "tests/area\(folder)",
                seconds: 0.007 * shared,
                sigma: 0.1,
                seed: UInt64(folder)
            ) {
                history[path] = samples
            }
        }
        let files = Array(history.keys)
        let raw = Estimator(configuration: .unpooled).estimateFiles(files, history: history)
        let pooled = Estimator().estimateFiles(files, history: history)
        func medians(_ estimates: [String: Estimate]) -> [Double] {
            (0..<20).map { folder in
                let values = estimates.filter { $0.key.hasPrefix("tests/area\(folder)/") }.map(\.value.seconds).sorted()
                return values[values.count / 2]
            }
        }
        #expect(spread(medians(raw)) > 1.4)
        #expect(spread(medians(pooled)) < 1.1)
    }

    @Test func aFileOfAnotherSizeKeepsItsFigure() {
        var history = alike(20, in: "tests/api", seconds: 1)
        history["tests/api/test_giant.py"] = samples([60])
        history["tests/api/test_tiny.py"] = samples([0.02])
        let estimates = Estimator().estimateFiles(Array(history.keys), history: history)
        #expect(estimates["tests/api/test_giant.py"]?.seconds == 60)
        #expect(estimates["tests/api/test_tiny.py"]?.seconds == 0.02)
    }

    @Test func foldersThatReallyDifferAreNotPulledTogether() {
        // Two folders of alike files, 10× apart: each pools within itself.
        let history = alike(30, in: "tests/fast", seconds: 0.1).merging(
            alike(30, in: "tests/slow", seconds: 1, seed: 9)
        ) {
            first,
            _ in first
        }
        let estimates = Estimator().estimateFiles(Array(history.keys), history: history)
        let fast = estimates.filter { $0.key.hasPrefix("tests/fast/") }.map(\.value.seconds)
        let slow = estimates.filter { $0.key.hasPrefix("tests/slow/") }.map(\.value.seconds)
        #expect(fast.allSatisfy { $0 > 0.07 && $0 < 0.14 })
        #expect(slow.allSatisfy { $0 > 0.7 && $0 < 1.4 })
    }

    @Test func manySamplesMoveAFigureLittle() {
        // Each file measured 20 times: its figure's noise is small, so it stays near its own.
        let history = alike(50, in: "tests/area", seconds: 2, runs: 20)
        let files = Array(history.keys)
        let own = Estimator(configuration: EstimatorConfiguration.unpooled).estimateFiles(files, history: history)
        let pooled = Estimator().estimateFiles(files, history: history)
        let once = alike(50, in: "tests/area", seconds: 2, runs: 1)
        let ownOnce = Estimator(configuration: EstimatorConfiguration.unpooled).estimateFiles(files, history: once)
        let pooledOnce = Estimator().estimateFiles(files, history: once)
        func moved(_ a: [String: Estimate], _ b: [String: Estimate]) -> Double {
            files.map { abs(Foundation.log(a[$0]!.seconds / b[$0]!.seconds)) }.reduce(0, +) / Double(files.count)
        }
        #expect(moved(own, pooled) < moved(ownOnce, pooledOnce) / 2)
        #expect(moved(own, pooled) > 0)
    }

    @Test func twoFilesAreTooFewToPoolButTheirParentFolderCounts() {
        var history = alike(10, in: "tests/unit", seconds: 1)
        history["tests/unit/deep/test_a.py"] = samples([1.5])
        history["tests/unit/deep/test_b.py"] = samples([0.7])
        history["lonely/test_x.py"] = samples([1.3])
        let files = Array(history.keys)
        let estimates = Estimator().estimateFiles(files, history: history)
        // tests/unit/deep has two files: they pool with tests/unit (12 files), toward ~1 s.
        #expect(estimates["tests/unit/deep/test_a.py"]!.seconds < 1.5)
        #expect(estimates["tests/unit/deep/test_b.py"]!.seconds > 0.7)
        // lonely/ has one: it pools with the whole suite.
        #expect(estimates["lonely/test_x.py"]!.seconds < 1.3)
        // Fewer than three files in the whole suite: nothing to pool with.
        let pair = ["a/x.py": samples([1]), "a/y.py": samples([2])]
        let estimates2 = Estimator().estimateFiles(Array(pair.keys), history: pair)
        #expect(estimates2["a/x.py"]?.seconds == 1)
        #expect(estimates2["a/y.py"]?.seconds == 2)
    }

    @Test func zeroNoiseTurnsPoolingOff() throws {
        let history = alike(40, in: "tests/area", seconds: 0.01)
        let files = Array(history.keys)
        let unpooled = Estimator(configuration: .unpooled).estimateFiles(files, history: history)
        for file in files {
            #expect(unpooled[file]?.seconds == Estimator().figure(history[file]!))
        }
    }

    @Test func theNoiseOfAFigureShrinksWithItsSamples() throws {
        let ewma = Estimator()
        #expect(ewma.noiseFactor(samples: 1) == 1)
        #expect(abs(ewma.noiseFactor(samples: 2) - 0.68) < 1e-12)  // 0.8² + 0.2²
        #expect(abs(ewma.noiseFactor(samples: 20) - 0.2 / 1.8) < 0.005)  // → α / (2 − α)
        #expect(ewma.noiseFactor(samples: 500) == ewma.noiseFactor(samples: 20))  // the window caps it
        let mean = Estimator(configuration: try EstimatorConfiguration(statistic: .mean, window: 10, sampleNoise: 0.3))
        #expect(mean.noiseFactor(samples: 4) == 0.25)
    }

    @Test func noiseExplainsNearDistancesWholeAndFarOnesNot() {
        #expect(Estimator.noiseExplained(0.5, reach: 0.9) == 0.5)
        #expect(Estimator.noiseExplained(-0.9, reach: 0.9) == -0.9)
        #expect(abs(Estimator.noiseExplained(1.35, reach: 0.9) - 0.45) < 1e-12)
        #expect(Estimator.noiseExplained(-1.8, reach: 0.9) == 0)
        #expect(Estimator.noiseExplained(4, reach: 0.9) == 0)
        #expect(Estimator.noiseExplained(0.3, reach: 0) == 0)
        // What is left after the shift never runs backwards, whatever the weight.
        for weight in [0.3, 1.0] {
            let left = stride(from: -3.0, through: 3.0, by: 0.01).map {
                $0 - weight * Estimator.noiseExplained($0, reach: 0.9)
            }
            #expect(zip(left, left.dropFirst()).allSatisfy { $0 <= $1 + 1e-12 })
        }
    }

    @Test func aNegativeOrEndlessNoiseIsRefused() {
        for noise in [-0.1, .infinity, .nan] {
            #expect(throws: EstimatorError.self) {
                try EstimatorConfiguration(statistic: .mean, window: 3, sampleNoise: noise)
            }
        }
    }
}

extension EstimatorConfiguration {
    /// The standard statistic and window with pooling off.
    static var unpooled: EstimatorConfiguration {
        try! EstimatorConfiguration(statistic: .ewma(alpha: 0.2), window: 20)
    }
}
