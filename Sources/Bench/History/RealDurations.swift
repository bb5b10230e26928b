import Foundation

/// Files and their tests' durations taken from the real timing data in `shared/bench/durations`
/// (pytest-split, knapsack and parallel_tests files that projects commit): every file of a
/// file-level set, and every file of a test-level set with its tests. The `_files` twins are
/// skipped (they are the test-level sets summed per file). The pool is what a benchmark's suite
/// draws its sizes from, so the estimator and the planner see real tails.
struct RealDurations {
    /// One real file: its duration (the sum of its tests for test-level data) and its tests.
    struct File {
        var dataset: String
        var seconds: Double
        /// (test name after the file's `::`, seconds); empty for file-level data.
        var tests: [(name: String, seconds: Double)]
    }

    var files: [File]
    var datasets: Int

    /// Folders tried, in order, when `--durations` is not given (the repository sits next to
    /// `shared/` in the usual checkout; worktrees one level deeper).
    static let defaultFolders = [
        "../shared/bench/durations", "../../shared/bench/durations", "/work/shared/bench/durations",
    ]

    /// The first of `defaultFolders` that exists, or `explicit`.
    static func folder(_ explicit: String?) throws -> String {
        if let explicit { return explicit }
        for candidate in defaultFolders where FileManager.default.fileExists(atPath: candidate) { return candidate }
        throw BenchError(
            "no duration data found at \(defaultFolders.joined(separator: ", ")): pass --durations DIR "
                + "(a folder of {\"unit\": …, \"durations\": {name: seconds}} files)"
        )
    }

    /// Reads every `*.json` of `folder` (sorted by name, so the pool is the same on every machine).
    static func load(folder: String) throws -> Self {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix("_files.json") }
            .sorted()
        var files: [File] = []
        for name in names {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let durations = object["durations"] as? [String: Double]
            else {
                throw BenchError(
                    "\(path): not a duration file (expected {\"unit\": …, \"durations\": {name: seconds}})"
                )
            }
            let dataset = String(name.dropLast(5))
            if object["unit"] as? String == "test" {
                var byFile: [String: [(name: String, seconds: Double)]] = [:]
                for (id, seconds) in durations {
                    guard let separator = id.range(of: "::") else { continue }
                    byFile[String(id[..<separator.lowerBound]), default: []].append(
                        (String(id[separator.upperBound...]), max(seconds, 0.0001))
                    )
                }
                for file in byFile.keys.sorted() {
                    let tests = byFile[file]!.sorted { $0.name < $1.name }
                    files.append(File(dataset: dataset, seconds: tests.reduce(0) { $0 + $1.seconds }, tests: tests))
                }
            } else {
                for file in durations.keys.sorted() {
                    files.append(File(dataset: dataset, seconds: max(durations[file]!, 0.0001), tests: []))
                }
            }
        }
        guard !files.isEmpty else { throw BenchError("\(folder): no duration files in it") }
        return RealDurations(files: files, datasets: names.count)
    }
}
