import TestShardModel

/// Splits files into N time-balanced shards: longest first onto the least-loaded shard (LPT),
/// cutting the largest files into their tests when they alone would hold up the run.
///
/// Pure and deterministic: the same input gives the same plan on every machine. Ties are broken
/// by item id (longest first, then id) and, among shards, by load, then item count, then index,
/// so zero-weight items spread out instead of piling onto shard 0.
///
/// The steps:
/// 1. Order files longest first. The target is `max(total / N, longest unsplittable unit)`, where
///    a file with at least two test estimates counts as its longest test. Files longer than the
///    target are cut straight away (largest first, within the limit): no shard can hold them.
/// 2. LPT the current items. If the makespan is more than `tolerance` above the target, run a
///    bounded refine pass (moves and swaps off the fullest shard).
/// 3. Still above: cut the next-largest splittable file into its tests and go back to 2, at most
///    `maxSplitFiles` times. The best plan seen (lowest makespan, then fewest cuts) is returned.
public struct Planner: Sendable {
    /// Shard count, split limit and tolerance.
    public let configuration: PlannerConfiguration

    /// Creates a planner.
    public init(configuration: PlannerConfiguration) {
        self.configuration = configuration
    }

    /// Creates a planner for `shardCount` shards with the default split limit (N) and tolerance (1%).
    public init(shardCount: Int) throws(PlannerError) {
        self.configuration = try PlannerConfiguration(shardCount: shardCount)
    }

    /// Plans `files` (any order) into exactly N shards; throws `PlannerError` for duplicate or
    /// badly named items and for negative or non-finite estimates.
    public func plan(_ files: [PlanFile]) throws(PlannerError) -> Plan {
        let input = try PlannerInput(files)
        let shardCount = configuration.shardCount
        let limit = 1 + configuration.tolerance

        var cuts: [Int] = []
        var cutUnits: [PlanUnit] = []
        var remaining = input.splittable[...]
        // A file longer than the target misses it on any shard: cut all of those at once rather
        // than one LPT round each.
        let fileTarget = max(input.files.reduce(0) { $0 + $1.seconds } / Double(shardCount), input.longestUnsplittable)
        while cuts.count < configuration.maxSplitFiles, let next = remaining.first,
            input.files[next].seconds > limit * fileTarget
        {
            remaining.removeFirst()
            cuts.append(next)
            cutUnits = Self.merge(cutUnits, input.testUnits(of: next), by: input.precedes)
        }
        var best: (units: [PlanUnit], assignment: ShardAssignment, cuts: [Int])?
        while true {
            let units = input.units(cut: Set(cuts), cutUnits: cutUnits)
            var assignment = ShardAssignment.longestFirst(units, shardCount: shardCount)
            let target = max(units.reduce(0) { $0 + $1.seconds } / Double(shardCount), input.longestUnsplittable)
            if assignment.makespan > limit * target {
                assignment.refine(units: units, maxRounds: 10 * shardCount + 50, precedes: input.precedes)
            }
            if best == nil || assignment.makespan < best!.assignment.makespan {
                best = (units, assignment, cuts)
            }
            guard assignment.makespan > limit * target, cuts.count < configuration.maxSplitFiles,
                let next = remaining.popFirst()
            else { break }
            cuts.append(next)
            cutUnits = Self.merge(cutUnits, input.testUnits(of: next), by: input.precedes)
        }
        return makePlan(input: input, units: best!.units, assignment: best!.assignment, cuts: best!.cuts)
    }

    /// The plan of `files` as whole files when longest-first already comes within the tolerance of
    /// total / N; `nil` otherwise. Each file's `tests` are ignored.
    ///
    /// When this returns a plan, `plan(_:)` returns the same plan whatever tests the files have:
    /// no file is longer than the target, so none is cut up front, and the whole-file assignment
    /// is within the tolerance of any target (the target is at least total / N), so neither the
    /// refine pass nor a cut runs. A caller holding the tests in a store reads them only when this
    /// returns `nil` — planning from history then skips the per-test windows of the giant files.
    public func planWithoutCuts(_ files: [PlanFile]) throws(PlannerError) -> Plan? {
        let input = try PlannerInput(files.map { PlanFile(path: $0.path, estimate: $0.estimate) })
        let shardCount = Double(configuration.shardCount)
        let limit = 1 + configuration.tolerance
        let assignment = ShardAssignment.longestFirst(input.wholeUnits, shardCount: configuration.shardCount)
        // Both sums `plan(_:)` compares against (file order and LPT order may round differently).
        let fileTotal = input.files.reduce(0) { $0 + $1.seconds }
        let unitTotal = input.wholeUnits.reduce(0) { $0 + $1.seconds }
        guard assignment.makespan <= limit * (min(fileTotal, unitTotal) / shardCount) else { return nil }
        return makePlan(input: input, units: input.wholeUnits, assignment: assignment, cuts: [])
    }

    /// Merges two lists that are each in LPT order.
    private static func merge(_ a: [PlanUnit], _ b: [PlanUnit], by precedes: (PlanUnit, PlanUnit) -> Bool) -> [PlanUnit]
    {
        var merged: [PlanUnit] = []
        merged.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if precedes(b[j], a[i]) {
                merged.append(b[j])
                j += 1
            } else {
                merged.append(a[i])
                i += 1
            }
        }
        merged.append(contentsOf: a[i...])
        merged.append(contentsOf: b[j...])
        return merged
    }

    private func makePlan(input: PlannerInput, units: [PlanUnit], assignment: ShardAssignment, cuts: [Int]) -> Plan {
        var shards: [Plan.Shard] = []
        shards.reserveCapacity(assignment.members.count)
        for (index, members) in assignment.members.enumerated() {
            let ordered = members.map { (id: input.id(of: units[$0]), seconds: units[$0].seconds) }.sorted {
                $0.id < $1.id
            }
            shards.append(
                Plan.Shard(
                    index: index,
                    items: ordered.map { WorkItem($0.id) },
                    estimatedSeconds: ordered.reduce(0) { $0 + $1.seconds }
                )
            )
        }
        // Units are in LPT order: the first one is the longest item.
        let total = units.reduce(0) { $0 + $1.seconds }
        let longest = units.first.map { (id: input.id(of: $0), seconds: $0.seconds) }
        return Plan(
            shards: shards,
            lowerBoundSeconds: max(total / Double(configuration.shardCount), longest?.seconds ?? 0),
            estimatedMakespanSeconds: shards.map(\.estimatedSeconds).max() ?? 0,
            totalSeconds: total,
            longestItem: longest.map { Plan.LongestItem(item: WorkItem($0.id), seconds: $0.seconds) },
            splitFiles: cuts.map { input.files[$0].path }.sorted(),
            unknownFiles: input.files.filter { $0.source.isLowConfidence }.map(\.path).sorted()
        )
    }
}

/// One schedulable item: a whole file or one test of a cut file. Indices, not strings, so that
/// sorting and scheduling do not copy or compare ids.
struct PlanUnit: Sendable {
    let seconds: Double
    /// Index into `PlannerInput.files`.
    let file: Int32
    /// Index into that file's tests, or -1 for the whole file.
    let test: Int32
}

/// Validated planner input.
struct PlannerInput {
    struct File {
        let path: String
        let seconds: Double
        let source: EstimateSource
        let tests: [PlanTest]
    }

    /// As given, validated.
    let files: [File]
    /// Whole-file units, longest first, ties by path.
    let wholeUnits: [PlanUnit]
    /// Indices into `files` of files that can be cut (two or more tests), largest first.
    let splittable: [Int]
    /// The longest unit no cut can shorten: a splittable file's longest test, or a whole file.
    let longestUnsplittable: Double

    init(_ planFiles: [PlanFile]) throws(PlannerError) {
        var seen = Set<String>(minimumCapacity: planFiles.count)
        var files: [File] = []
        files.reserveCapacity(planFiles.count)
        var longest = 0.0
        for file in planFiles {
            guard !file.path.isEmpty, !NodeID.isTest(file.path) else {
                throw PlannerError(
                    code: .invalidName,
                    item: file.path,
                    message:
                        "file path \"\(file.path)\" is empty or contains \"::\"; give the path relative to the suite root"
                )
            }
            guard seen.insert(file.path).inserted else {
                throw PlannerError(
                    code: .duplicateItem,
                    item: file.path,
                    message: "file \"\(file.path)\" is listed twice; list each file once"
                )
            }
            try Self.check(file.estimate.seconds, item: file.path)
            var longestTest = 0.0
            if !file.tests.isEmpty {
                var names = Set<String>(minimumCapacity: file.tests.count)
                for test in file.tests {
                    guard !test.name.isEmpty else {
                        throw PlannerError(
                            code: .invalidName,
                            item: file.path + WorkItem.separator,
                            message: "a test of \"\(file.path)\" has an empty name; give the node id after \"::\""
                        )
                    }
                    guard names.insert(test.name).inserted else {
                        let id = file.path + WorkItem.separator + test.name
                        throw PlannerError(
                            code: .duplicateItem,
                            item: id,
                            message: "test \"\(id)\" is listed twice; list each test once"
                        )
                    }
                    if !(test.seconds.isFinite && test.seconds >= 0) {
                        try Self.check(test.seconds, item: file.path + WorkItem.separator + test.name)
                    }
                    longestTest = max(longestTest, test.seconds)
                }
            }
            longest = max(longest, file.tests.count >= 2 ? longestTest : file.estimate.seconds)
            files.append(
                File(path: file.path, seconds: file.estimate.seconds, source: file.estimate.source, tests: file.tests)
            )
        }
        self.files = files
        self.longestUnsplittable = longest
        var whole = files.indices.map { PlanUnit(seconds: files[$0].seconds, file: Int32($0), test: -1) }
        whole.sort { lhs, rhs in
            lhs.seconds != rhs.seconds
                ? lhs.seconds > rhs.seconds : files[Int(lhs.file)].path < files[Int(rhs.file)].path
        }
        self.wholeUnits = whole
        self.splittable = whole.lazy.map { Int($0.file) }.filter { files[$0].tests.count >= 2 }
    }

    private static func check(_ seconds: Double, item: String) throws(PlannerError) {
        guard seconds.isFinite, seconds >= 0 else {
            throw PlannerError(
                code: .invalidEstimate,
                item: item,
                message: "estimate for \"\(item)\" is \(seconds) s; estimates must be finite and ≥ 0"
            )
        }
    }

    /// LPT order: longest first; ties by path, then (tests of one file) by test name.
    func precedes(_ lhs: PlanUnit, _ rhs: PlanUnit) -> Bool {
        if lhs.seconds != rhs.seconds { return lhs.seconds > rhs.seconds }
        if lhs.file != rhs.file { return files[Int(lhs.file)].path < files[Int(rhs.file)].path }
        return files[Int(lhs.file)].tests[Int(lhs.test)].name < files[Int(rhs.file)].tests[Int(rhs.test)].name
    }

    /// The test units of `file`, in LPT order.
    func testUnits(of file: Int) -> [PlanUnit] {
        files[file].tests.indices.map {
            PlanUnit(seconds: files[file].tests[$0].seconds, file: Int32(file), test: Int32($0))
        }
        .sorted(by: precedes)
    }

    /// The items to schedule when the files in `cut` are split: whole files and `cutUnits` (the
    /// cut files' tests, already in LPT order) merged into LPT order.
    func units(cut: Set<Int>, cutUnits: [PlanUnit]) -> [PlanUnit] {
        if cut.isEmpty { return wholeUnits }
        var merged: [PlanUnit] = []
        merged.reserveCapacity(wholeUnits.count + cutUnits.count)
        var j = 0
        for unit in wholeUnits where !cut.contains(Int(unit.file)) {
            while j < cutUnits.count, precedes(cutUnits[j], unit) {
                merged.append(cutUnits[j])
                j += 1
            }
            merged.append(unit)
        }
        merged.append(contentsOf: cutUnits[j...])
        return merged
    }

    /// The wire id of a unit: the path, or `path::test`.
    func id(of unit: PlanUnit) -> String {
        let file = files[Int(unit.file)]
        return unit.test < 0 ? file.path : file.path + WorkItem.separator + file.tests[Int(unit.test)].name
    }
}
