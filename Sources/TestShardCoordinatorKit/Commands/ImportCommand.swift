import Foundation
import TestShardConfig
import TestShardJUnit
import TestShardModel
import TestShardPlanner
import TestShardStore

/// `import --format pytest-split|knapsack|junit PATH`: seeds history from timing data a team
/// already has. Everything is checked before anything is stored, and stored in one transaction:
/// a malformed file imports nothing and says which entry was wrong.
public enum ImportCommand {
    public enum Format: String, CaseIterable, Sendable {
        case pytestSplit = "pytest-split"
        case knapsack
        case junit
    }

    /// Imports and returns a one-line account of what was stored.
    public static func execute(format: Format, path: String, configFile: String, database: String?) throws -> String {
        let configuration = try SuiteConfiguration.load(file: configFile)
        let store = try HistoryStore(
            path: database.map(CoordinatorRun.absolute) ?? configuration.root + "/.testshard/history.sqlite",
            configuration: .init(windowSize: 20)
        )
        let now = Date().timeIntervalSince1970
        let samples: [MeasuredDuration]
        let source: StoredSample.Source
        switch format {
        case .pytestSplit, .knapsack:
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CoordinatorRun.SetupError("\(path): cannot read the file")
            }
            let file = try DurationsFile(jsonData: data)
            if format == .knapsack && file.unit == .test {
                throw CoordinatorRun.SetupError(
                    "\(path): knapsack reports name files, but this one has test ids (path::test); "
                        + "import it with --format pytest-split"
                )
            }
            samples = fromDurations(file, at: now)
            source = format == .knapsack ? .importKnapsack : .importPytestSplit
        case .junit:
            samples = try fromJUnit(path, inventory: try Inventory.discover(configuration), at: now)
            source = .importJUnit
        }
        guard !samples.isEmpty else { throw CoordinatorRun.SetupError("\(path): no durations in it; nothing imported") }
        let runID = StoredRun.makeID(startedAt: now, suffix: CoordinatorRun.randomSuffix())
        try store.importSamples(
            samples,
            source: source,
            run: StoredRun(
                id: runID,
                kind: .import,
                status: .completed,
                startedAt: now,
                endedAt: now,
                suite: configuration.name,
                root: configuration.root
            )
        )
        let files = Set(samples.map { WorkItem($0.item).file }).count
        let tests = samples.filter { !WorkItem($0.item).isWholeFile }.count
        return "imported \(samples.count) durations (\(files) files, \(tests) tests) from \(path) as run \(runID)"
    }

    /// One passing sample per entry; a test-level file also gives each file the sum of its tests
    /// (files are what the planner balances; tests are what it cuts giant files into).
    static func fromDurations(_ file: DurationsFile, at now: Double) -> [MeasuredDuration] {
        var (files, tests) = file.samples(recordedAt: now)
        var sums: [String: Double] = [:]
        for (test, entries) in tests { sums[WorkItem(test).file, default: 0] += entries.reduce(0) { $0 + $1.seconds } }
        for (path, seconds) in sums where files[path] == nil {
            files[path] = [DurationSample(seconds: seconds, outcome: .passed, recordedAt: now)]
        }
        var samples: [MeasuredDuration] = []
        for (item, entries) in files.sorted(by: { $0.key < $1.key }) + tests.sorted(by: { $0.key < $1.key }) {
            for entry in entries {
                samples.append(MeasuredDuration(item: item, duration: entry.seconds, outcome: .passed, recordedAt: now))
            }
        }
        return samples
    }

    /// Test durations from a JUnit file or a folder of them (earlier CI runs). Test cases map to
    /// files by their `file` attribute, else by classname against the suite's inventory.
    static func fromJUnit(_ path: String, inventory: [String], at now: Double) throws -> [MeasuredDuration] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CoordinatorRun.SetupError("\(path): no such file or folder")
        }
        var paths: [String] = []
        if isDirectory.boolValue {
            let enumerator = FileManager.default.enumerator(atPath: path)
            while let name = enumerator?.nextObject() as? String {
                if name.hasSuffix(".xml") { paths.append(path + "/" + name) }
            }
            paths.sort()
            if paths.isEmpty { throw CoordinatorRun.SetupError("\(path): no .xml files in the folder") }
        } else {
            paths = [path]
        }
        let reader = JUnitReader(candidateFiles: inventory, dialect: .generic)
        var samples: [MeasuredDuration] = []
        for file in paths {
            let result = reader.read(contentsOf: file)
            guard result.state == .ok else {
                throw CoordinatorRun.SetupError(
                    "\(file): the JUnit file is \(result.state.rawValue)\(result.reason.map { " (\($0))" } ?? ""); "
                        + "nothing was imported"
                )
            }
            var perFile: [String: (seconds: Double, worst: TestStatus)] = [:]
            for test in result.tests {
                guard test.duration.isFinite, test.duration >= 0 else {
                    throw CoordinatorRun.SetupError(
                        "\(file): test \(test.id) has duration \(test.duration); nothing was imported"
                    )
                }
                samples.append(
                    MeasuredDuration(
                        item: test.id,
                        duration: test.duration,
                        outcome: .init(test.status),
                        recordedAt: now
                    )
                )
                let current = perFile[test.file] ?? (0, .skipped)
                perFile[test.file] = (current.seconds + test.duration, max(current.worst, test.status))
            }
            for (item, total) in perFile.sorted(by: { $0.key < $1.key }) {
                samples.append(
                    MeasuredDuration(
                        item: item,
                        duration: total.seconds,
                        outcome: .init(total.worst == .skipped ? .passed : total.worst),
                        recordedAt: now
                    )
                )
            }
        }
        return samples
    }
}
