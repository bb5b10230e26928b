import TestShardModel

extension DurationsFile {
    /// Plan input straight from the file, in path order: each entry is a known duration (source
    /// `history`). At file level every file is one entry; at test level a file's estimate is the
    /// sum of its tests and its tests are listed so the planner may split it.
    public func planFiles() -> [PlanFile] {
        var wholeFiles: [String: Double] = [:]
        var tests: [String: [PlanTest]] = [:]
        for name in durations.keys.sorted() {
            let (file, test) = NodeID.split(name)
            if let test {
                tests[String(file), default: []].append(PlanTest(name: String(test), seconds: durations[name]!))
            } else {
                wholeFiles[name] = durations[name]!
            }
        }
        var files: [PlanFile] = []
        files.reserveCapacity(wholeFiles.count + tests.count)
        for path in Set(wholeFiles.keys).union(tests.keys).sorted() {
            let fileTests = tests[path] ?? []
            // Sum in name order (fileTests is built sorted) so the total is the same on every run.
            let seconds = wholeFiles[path] ?? fileTests.reduce(0) { $0 + $1.seconds }
            files.append(
                PlanFile(
                    path: path,
                    estimate: Estimate(seconds: seconds, source: .history, sampleCount: 1),
                    tests: fileTests
                )
            )
        }
        return files
    }

    /// The entries as one passing sample each, split into per-file and per-test history (keys as
    /// in the file), for importing into a store or estimating alongside an inventory.
    public func samples(recordedAt: Double) -> (files: [String: [DurationSample]], tests: [String: [DurationSample]]) {
        var files: [String: [DurationSample]] = [:]
        var tests: [String: [DurationSample]] = [:]
        for (name, seconds) in durations {
            let sample = [DurationSample(seconds: seconds, outcome: .passed, recordedAt: recordedAt)]
            if NodeID.isTest(name) { tests[name] = sample } else { files[name] = sample }
        }
        return (files, tests)
    }
}
