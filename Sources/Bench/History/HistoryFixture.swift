import Foundation
import TestShardStore

/// A synthetic suite history in a fresh SQLite file, shaped like the planner benchmark's suite
/// (docs/BENCHMARKS.md → Planning speed): files in 60 folders with lognormal sizes (median 2 s,
/// σ 1.3); 5% of the files have no history (new files: they get a folder median); 10% have 10–50
/// tests with their own history (the candidates for cutting). Every item has `samplesPerItem`
/// passing samples with lognormal noise (σ 0.2), written as one import per sample round — the
/// shape a real history has after that many runs.
struct HistoryFixture {
    /// Every file of the suite (inventory order), with or without history.
    var files: [String]
    /// How many files have per-test history, and how many tests that is.
    var filesWithTests: Int
    var tests: Int
    /// Files without history.
    var unknownFiles: Int
    /// Samples written.
    var samples: Int
    /// Seconds the seeding took.
    var seedSeconds: Double

    /// The path of file `index` of a suite (the same for the history and the files on disk).
    static func path(_ index: Int) -> String { "tests/pkg\(index % 60)/test_module_\(index).py" }

    /// Seeds `path` (which must not exist) and returns what it holds.
    static func seed(path: String, files count: Int, samplesPerItem: Int = 10, seed: UInt64 = 1) throws -> Self {
        var random = SplitMix64(seed: seed)
        let files = (0..<count).map(Self.path)
        // Per file: true mean seconds, whether it has history, its tests' shares of the file.
        var means: [Double] = []
        var known: [Bool] = []
        var testShares: [[Double]] = []
        for _ in files {
            means.append(max(0.01, 2 * exp(1.3 * random.normal())))
            known.append(Double.random(in: 0..<1, using: &random) >= 0.05)
            if Double.random(in: 0..<1, using: &random) < 0.10 {
                let n = Int.random(in: 10...50, using: &random)
                let weights = (0..<n).map { _ in exp(random.normal()) }
                let total = weights.reduce(0, +)
                testShares.append(weights.map { $0 / total })
            } else {
                testShares.append([])
            }
        }
        let start = Stopwatch.now()
        let store = try HistoryStore(path: path, configuration: .init(windowSize: 20))
        var written = 0
        for round in 0..<samplesPerItem {
            let at = 1_800_000_000 + Double(round) * 86_400
            var samples: [MeasuredDuration] = []
            for (index, file) in files.enumerated() where known[index] {
                let actual = means[index] * exp(0.2 * random.normal())
                samples.append(MeasuredDuration(item: file, duration: actual, outcome: .passed, recordedAt: at))
                for (test, share) in testShares[index].enumerated() {
                    samples.append(
                        MeasuredDuration(
                            item: "\(file)::test_case_\(test)",
                            duration: actual * share,
                            outcome: .passed,
                            recordedAt: at
                        )
                    )
                }
            }
            written += samples.count
            try store.importSamples(
                samples,
                source: .importPytestSplit,
                run: StoredRun(
                    id: StoredRun.makeID(startedAt: at, suffix: "h\(round)"),
                    kind: .import,
                    status: .completed,
                    startedAt: at,
                    endedAt: at,
                    suite: "bench",
                    root: "/bench"
                )
            )
        }
        let withTests = testShares.indices.filter { known[$0] && !testShares[$0].isEmpty }
        return HistoryFixture(
            files: files,
            filesWithTests: withTests.count,
            tests: withTests.reduce(0) { $0 + testShares[$1].count },
            unknownFiles: known.filter { !$0 }.count,
            samples: written,
            seedSeconds: Stopwatch.now() - start
        )
    }

    var summary: String {
        "\(files.count) files (\(filesWithTests) with \(tests) test estimates, \(unknownFiles) without history), "
            + "\(samples) samples, seeded in \(String(format: "%.1f", seedSeconds)) s"
    }
}
