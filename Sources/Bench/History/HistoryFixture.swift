import Foundation
import TestShardModel
import TestShardStore

/// A suite history in a fresh SQLite file, with sizes from real projects' timing data
/// (``RealDurations``): file `i` of the suite takes the duration of a real file drawn from the pool
/// (shuffled with a fixed seed; the pool is reused, without the tests, once a suite is larger
/// than it), and a file drawn from test-level data brings its real tests along (the candidates for
/// cutting). 5% of the files have no history (new files: they get a folder median). Every item has
/// `samplesPerItem` passing samples, each the real value × lognormal noise (σ 0.2), written as one
/// import per round — the shape a real history has after that many runs.
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
    /// Real files in the pool, the data sets they came from, and how many suite files reused one.
    var poolFiles: Int
    var poolDatasets: Int
    var reused: Int

    /// The path of file `index` of a suite (the same for the history and the files on disk).
    static func path(_ index: Int) -> String { "tests/pkg\(index % 60)/test_module_\(index).py" }

    /// Seeds `path` (which must not exist) and returns what it holds.
    static func seed(
        path: String,
        files count: Int,
        durations pool: RealDurations,
        samplesPerItem: Int = 20,
        seed: UInt64 = 1
    ) throws -> Self {
        var random = SplitMix64(seed: seed)
        var order = Array(pool.files.indices)
        order.shuffle(using: &random)
        let files = (0..<count).map(Self.path)
        // A file drawn a second time (suites larger than the pool) keeps its size but not its
        // tests: the real per-test data appears once, and seeding 100k files stays minutes, not hours.
        let drawn = (0..<count).map { index in
            var file = pool.files[order[index % order.count]]
            if index >= order.count { file.tests = [] }
            return file
        }
        let known = (0..<count).map { _ in Double.random(in: 0..<1, using: &random) >= 0.05 }

        let start = Stopwatch.now()
        let store = try HistoryStore(path: path, configuration: .init(windowSize: 20))
        var written = 0
        for round in 0..<samplesPerItem {
            let at = 1_800_000_000 + Double(round) * 86_400
            var samples: [MeasuredDuration] = []
            samples.reserveCapacity(count * 2)
            for (index, file) in files.enumerated() where known[index] {
                // One noise factor per file and run: a slow run of a file is slow in all its tests.
                let noise = exp(0.2 * random.normal())
                samples.append(
                    MeasuredDuration(
                        item: file,
                        duration: drawn[index].seconds * noise,
                        outcome: .passed,
                        recordedAt: at
                    )
                )
                for test in drawn[index].tests {
                    samples.append(
                        MeasuredDuration(
                            item: "\(file)::\(test.name)",
                            duration: test.seconds * noise,
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
        let withTests = drawn.indices.filter { known[$0] && !drawn[$0].tests.isEmpty }
        return HistoryFixture(
            files: files,
            filesWithTests: withTests.count,
            tests: withTests.reduce(0) { $0 + drawn[$1].tests.count },
            unknownFiles: known.filter { !$0 }.count,
            samples: written,
            seedSeconds: Stopwatch.now() - start,
            poolFiles: pool.files.count,
            poolDatasets: pool.datasets,
            reused: max(0, count - pool.files.count)
        )
    }

    var summary: String {
        "\(files.count) files (sizes of real files from \(poolDatasets) data sets, pool \(poolFiles) files"
            + (reused > 0 ? ", \(reused) drawn a second time or more" : "")
            + "; \(filesWithTests) with \(tests) real test estimates, \(unknownFiles) without history), "
            + "\(samples) samples, seeded in \(String(format: "%.1f", seedSeconds)) s"
    }
}
