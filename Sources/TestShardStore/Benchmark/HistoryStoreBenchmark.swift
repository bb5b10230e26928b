import Foundation

/// How fast the planner's inputs come out of a file history: a benchmark for `testshard-bench`
/// (and a small run of it in the tests). It reads the clock, so it is a shell, not logic.
///
/// It seeds a fresh database at `path` with `files` files of `testsPerFile` tests each, every item
/// with `samplesPerItem` passing samples (one import per sample round), reopens it (cold SQLite
/// cache), then times, `repetitions` times each:
/// - ``HistoryStore/durationWindows(items:)`` for every file (what `plan` reads),
/// - ``HistoryStore/allDurationWindows(_:)`` for files (what `export` reads),
/// - ``HistoryStore/testDurationWindows(files:)`` for the `splitFiles` longest files.
public enum HistoryStoreBenchmark {
    /// The measured figures; times in milliseconds (median and max over the repetitions).
    public struct Figures: Sendable, CustomStringConvertible {
        public var files: Int
        public var tests: Int
        public var samples: Int
        public var seedSeconds: Double
        public var databaseBytes: Int64
        public var fileWindowsMedianMs: Double
        public var fileWindowsMaxMs: Double
        /// Process CPU time of the same reads (median): steadier than wall time on a shared machine.
        public var fileWindowsCPUMedianMs: Double
        public var allFileWindowsMedianMs: Double
        public var testWindowsMedianMs: Double
        public var splitFiles: Int
        /// How many windows each read returned (files, files, tests), to show the reads were whole.
        public var windowsRead: [Int]

        public var description: String {
            func ms(_ value: Double) -> String { String(format: "%.2f ms", value) }
            return """
                history: \(files) files, \(tests) tests, \(samples) samples, \(databaseBytes / 1_048_576) MiB \
                (seeded in \(String(format: "%.1f", seedSeconds)) s)
                durationWindows(items: \(files) files)      median \(ms(fileWindowsMedianMs)), max \(ms(fileWindowsMaxMs)), \
                CPU median \(ms(fileWindowsCPUMedianMs))
                allDurationWindows(.files)                  median \(ms(allFileWindowsMedianMs))
                testDurationWindows(files: \(splitFiles) files)        median \(ms(testWindowsMedianMs))
                windows read: \(windowsRead.map(String.init).joined(separator: ", "))
                """
        }
    }

    /// Seeds `path` (which must not exist yet) and measures. See the type's documentation.
    public static func run(
        path: String,
        files: Int = 5000,
        testsPerFile: Int = 10,
        samplesPerItem: Int = 10,
        splitFiles: Int = 8,
        repetitions: Int = 20
    ) throws(HistoryStoreError) -> Figures {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw HistoryStoreError(
                code: .invalidValue,
                message: "the benchmark seeds a new database and will not touch the existing \(path); give a new path",
                path: path
            )
        }
        let fileIDs = (0..<files).map { "tests/area\($0 % 50)/test_file_\($0).py" }
        let clock = ContinuousClock()

        let seedStart = clock.now
        do {
            let store = try HistoryStore(path: path)
            for round in 0..<samplesPerItem {
                let at = 1_800_000_000 + Double(round) * 86_400
                var samples: [MeasuredDuration] = []
                samples.reserveCapacity(files * (testsPerFile + 1))
                for (index, file) in fileIDs.enumerated() {
                    // Durations spread over three orders of magnitude, noisy from round to round.
                    let base = 0.2 + Double((index * 7919) % 1000) / 10
                    let noise = 1 + 0.1 * Double((index + round * 31) % 7 - 3) / 3
                    samples.append(
                        MeasuredDuration(item: file, duration: base * noise, outcome: .passed, recordedAt: at)
                    )
                    for test in 0..<testsPerFile {
                        samples.append(
                            MeasuredDuration(
                                item: "\(file)::test_\(test)",
                                duration: base * noise / Double(testsPerFile),
                                outcome: .passed,
                                recordedAt: at
                            )
                        )
                    }
                }
                let run = StoredRun(
                    id: StoredRun.makeID(startedAt: at, suffix: "b\(round)"),
                    kind: .import,
                    status: .completed,
                    startedAt: at,
                    endedAt: at,
                    suite: "bench",
                    root: "/bench"
                )
                try store.importSamples(samples, source: .importPytestSplit, run: run)
            }
        }
        let seedSeconds = seconds(clock.now - seedStart)

        let store = try HistoryStore(path: path)
        let longest = Array(fileIDs.prefix(max(0, min(splitFiles, files))))
        var fileTimes: [Double] = []
        var fileCPUTimes: [Double] = []
        var allTimes: [Double] = []
        var testTimes: [Double] = []
        var windowsRead = [0, 0, 0]
        for _ in 0..<max(1, repetitions) {
            var start = clock.now
            let cpuStart = processCPUSeconds()
            windowsRead[0] = try store.durationWindows(items: fileIDs).count
            fileTimes.append(seconds(clock.now - start) * 1000)
            fileCPUTimes.append((processCPUSeconds() - cpuStart) * 1000)

            start = clock.now
            windowsRead[1] = try store.allDurationWindows(.files).count
            allTimes.append(seconds(clock.now - start) * 1000)

            start = clock.now
            windowsRead[2] = try store.testDurationWindows(files: longest).values.reduce(0) { $0 + $1.count }
            testTimes.append(seconds(clock.now - start) * 1000)
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let bytes = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        return Figures(
            files: files,
            tests: files * testsPerFile,
            samples: files * (testsPerFile + 1) * samplesPerItem,
            seedSeconds: seedSeconds,
            databaseBytes: bytes,
            fileWindowsMedianMs: median(fileTimes),
            fileWindowsMaxMs: fileTimes.max() ?? 0,
            fileWindowsCPUMedianMs: median(fileCPUTimes),
            allFileWindowsMedianMs: median(allTimes),
            testWindowsMedianMs: median(testTimes),
            splitFiles: longest.count,
            windowsRead: windowsRead
        )
    }

    private static func processCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    private static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
