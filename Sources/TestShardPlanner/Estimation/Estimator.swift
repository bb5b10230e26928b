import Foundation
import TestShardModel

/// Turns duration history into estimates: a robust figure over each item's recent passing
/// samples, pooled with its folder's while few samples make it noisy, and for files without
/// history the median of their neighbours.
///
/// Pure: history comes in as values, nothing is read. Every result is deterministic for the
/// same input (dictionary order never leaks into a figure).
public struct Estimator: Sendable {
    /// The statistic, the window and the fallbacks.
    public let configuration: EstimatorConfiguration

    /// Creates an estimator.
    public init(configuration: EstimatorConfiguration = .standard) {
        self.configuration = configuration
    }

    /// The figure for one item from its samples, or `nil` when none of them is a usable duration.
    ///
    /// Only passing samples with a finite, non-negative duration count; of those, the `window`
    /// most recent (by `recordedAt`, ties kept in the given order) go into the statistic. The
    /// result is not floored: `estimateFiles` and `planFiles` apply `minimumSeconds`.
    public func figure(_ samples: [DurationSample]) -> Double? {
        figureAndCount(samples)?.value
    }

    /// `figure(_:)` from a stored window: passing durations, newest first (the store's form).
    public func figure(newestFirst durations: [Double]) -> Double? {
        figureAndCount(newestFirst: durations)?.value
    }

    /// The figure and how many samples went into it.
    func figureAndCount(_ samples: [DurationSample]) -> (value: Double, count: Int)? {
        if samples.indices.dropFirst().allSatisfy({ samples[$0 - 1].recordedAt <= samples[$0].recordedAt }) {
            // The usual case (the store returns samples in time order): walk back from the newest.
            return figureAndCount(newestFirst: samples.reversed().lazy.filter(Self.isUsable).map(\.seconds))
        }
        // Oldest first; the original position breaks ties so equal timestamps keep their order.
        let ordered = samples.indices.filter { Self.isUsable(samples[$0]) }.sorted { lhs, rhs in
            samples[lhs].recordedAt != samples[rhs].recordedAt
                ? samples[lhs].recordedAt < samples[rhs].recordedAt : lhs < rhs
        }
        return figureAndCount(newestFirst: ordered.reversed().lazy.map { samples[$0].seconds })
    }

    /// The figure and sample count from a stored window: passing durations, newest first (the
    /// store's form). Same result as `figureAndCount` over those samples with their times.
    func figureAndCount(newestFirst durations: some Sequence<Double>) -> (value: Double, count: Int)? {
        var recent: [Double] = []
        recent.reserveCapacity(min(durations.underestimatedCount, configuration.window))
        for seconds in durations where seconds.isFinite && seconds >= 0 {
            recent.append(seconds)
            if recent.count == configuration.window { break }
        }
        if recent.isEmpty { return nil }
        recent.reverse()
        return (Self.statistic(configuration.statistic, of: &recent), recent.count)
    }

    private static func isUsable(_ sample: DurationSample) -> Bool {
        sample.outcome.countsAsDuration && sample.seconds.isFinite && sample.seconds >= 0
    }

    /// Estimates for every file in `files`, from per-file history keyed by path.
    ///
    /// A file with usable history gets its figure (source `history`), pulled toward its folder's
    /// by as much as its samples' noise explains when `sampleNoise` is set (`pool`). Any other
    /// file gets the median estimate of the known files under the nearest enclosing folder that has any
    /// (`folderMedian`), else of all known files (`suiteMedian`), else `defaultSeconds`
    /// (`default`). No estimate is below `minimumSeconds`. Only files in `files` count as known,
    /// so deleted files' history does not shift the medians.
    public func estimateFiles(_ files: [String], history: [String: [DurationSample]]) -> [String: Estimate] {
        estimateFiles(files) { figureAndCount(history[$0] ?? []) }
    }

    /// `estimateFiles(_:history:)` from stored windows: path → passing durations, newest first
    /// (what `HistoryStore.durationWindows` returns), without building a sample per duration.
    public func estimateFiles(_ files: [String], windows: [String: [Double]]) -> [String: Estimate] {
        estimateFiles(files) { path in windows[path].flatMap { figureAndCount(newestFirst: $0) } }
    }

    private func estimateFiles(
        _ files: [String],
        figure: (String) -> (value: Double, count: Int)?
    ) -> [String: Estimate] {
        // Order does not matter: medians sort their values, and each path is handled once.
        var result: [String: Estimate] = [:]
        result.reserveCapacity(files.count)
        var unknown: [String] = []
        for path in files where result[path] == nil {
            if let (value, used) = figure(path) {
                let seconds = max(value, configuration.minimumSeconds)
                result[path] = Estimate(seconds: seconds, source: .history, sampleCount: used)
            } else {
                unknown.append(path)
            }
        }
        if configuration.sampleNoise > 0 { pool(&result) }
        if unknown.isEmpty { return result }
        // Only built when some file needs a fill: most runs have history for every file.
        var folders = FolderMedians(result.lazy.map { ($0.key, $0.value.seconds) })
        for path in unknown where result[path] == nil {
            result[path] = fill(for: path, folders: &folders)
        }
        return result
    }

    /// Folders need this many files with history before their figures are pooled.
    static let poolMinimum = 3

    /// Pulls each history figure toward the typical figure of its folder by as much as the noise
    /// of its samples explains: empirical Bayes in log space, with `sampleNoise` as the σ of one
    /// sample.
    ///
    /// A file's group is the nearest enclosing folder (else the suite) with `poolMinimum` files
    /// with history; its centre is their median log figure, pooled the same way toward the next
    /// larger group's (`pooledCenter`), its spread the robust variance of those logs (1.4826 ×
    /// MAD, squared). A figure from samples whose noise has variance τ moves toward the centre by
    /// τ / max(spread, τ) of its distance: all the way when the folder's
    /// files differ no more than noise would make them, hardly at all when they really differ or
    /// when many samples make τ small. Only a distance that noise could explain moves
    /// (`noiseExplained`): a figure 6 √τ or more from the centre is a file of another size, not a
    /// noisy measure of the same kind, and keeps its figure.
    ///
    /// Why: 5000 alike files, each with one sample, were estimated 3.8–9.5 ms per file for ~7.5 ms
    /// real. Longest-first sorted them by that noise and left the files that happened to measure
    /// short for last, so the work left always looked smaller than it was.
    func pool(_ estimates: inout [String: Estimate]) {
        let noise = configuration.sampleNoise * configuration.sampleNoise
        guard noise > 0, estimates.count >= Self.poolMinimum else { return }
        var folders = FolderMedians(
            estimates.lazy.filter { $0.value.source == .history }.map { ($0.key, Foundation.log($0.value.seconds)) }
        )
        // Files of one folder with as many samples share everything but their own figure: worked
        // out once per (folder, sample count), and the figures rewritten in place (5000 files).
        struct Prior {
            var center: Double
            var weight: Double
            var reach: Double
        }
        var priors: [CenterKey: Prior?] = [:]
        var centers: [CenterKey: Double] = [:]
        var index = estimates.startIndex
        while index != estimates.endIndex {
            defer { estimates.formIndex(after: &index) }
            let (path, estimate) = estimates[index]
            guard estimate.source == .history else { continue }
            let tau = noise * noiseFactor(samples: estimate.sampleCount)
            let key = CenterKey(folder: FolderMedians.parent(of: path[...]) ?? FolderMedians.root, tau: tau)
            let prior: Prior?
            if let known = priors[key] {
                prior = known
            } else {
                if let folder = folders.nearestGroup(of: path[...], minimum: Self.poolMinimum),
                    let group = folders.group(folder, minimum: Self.poolMinimum),
                    let center = pooledCenter(of: folder, tau: tau, folders: &folders, memo: &centers)
                {
                    prior = Prior(center: center, weight: tau / max(group.spread, tau), reach: 3 * tau.squareRoot())
                } else {
                    prior = nil
                }
                priors[key] = prior
            }
            guard let prior else { continue }
            let logSeconds = Foundation.log(estimate.seconds)
            let shift = prior.weight * Self.noiseExplained(logSeconds - prior.center, reach: prior.reach)
            guard shift != 0 else { continue }
            estimates.values[index].seconds = max(Foundation.exp(logSeconds - shift), configuration.minimumSeconds)
        }
    }

    private struct CenterKey: Hashable {
        var folder: Substring
        var tau: Double
    }

    /// The centre the files of `folder` are pooled toward: the folder's median log figure, itself
    /// pulled toward the pooled centre of the next larger group the same way. One run measures a
    /// folder's files together (in one shard, on one busy or idle host), so their noise is shared,
    /// and a folder's median is only as sure as one sample: 50 folders of alike files, measured
    /// once, had medians of 3.6–8.3 ms per file. `nil` for a folder with too few files.
    private func pooledCenter(
        of folder: Substring,
        tau: Double,
        folders: inout FolderMedians,
        memo: inout [CenterKey: Double]
    ) -> Double? {
        let key = CenterKey(folder: folder, tau: tau)
        if let known = memo[key] { return known }
        guard let group = folders.group(folder, minimum: Self.poolMinimum) else { return nil }
        var center = group.center
        if let parent = folders.enclosingGroup(of: folder),
            let parentGroup = folders.group(parent, minimum: Self.poolMinimum),
            let parentCenter = pooledCenter(of: parent, tau: tau, folders: &folders, memo: &memo)
        {
            center -=
                tau / max(parentGroup.spread, tau)
                * Self.noiseExplained(center - parentCenter, reach: 3 * tau.squareRoot())
        }
        memo[key] = center
        return center
    }

    /// How much of `deviation` (log distance from the folder's centre) is taken for noise: all of
    /// it within `reach` (3 noise σ), tapering to none at twice that, so a file of another size
    /// keeps its figure and the result stays in the figures' order.
    static func noiseExplained(_ deviation: Double, reach: Double) -> Double {
        let distance = abs(deviation)
        guard reach > 0, distance < 2 * reach else { return 0 }
        if distance <= reach { return deviation }
        return (deviation < 0 ? -reach : reach) * (2 - distance / reach)
    }

    /// The variance of the statistic over `samples` samples, as a multiple of one sample's: the sum
    /// of the squared weights for EWMA (the oldest sample seeds it), 1/n for the mean and the
    /// percentiles.
    func noiseFactor(samples: Int) -> Double {
        let count = max(1, min(samples, configuration.window))
        switch configuration.statistic {
        case .ewma(let alpha):
            var sum = Foundation.pow(1 - alpha, 2 * Double(count - 1))
            var weight = alpha
            for _ in 0..<(count - 1) {
                sum += weight * weight
                weight *= 1 - alpha
            }
            return sum
        case .mean, .percentile:
            return 1 / Double(count)
        }
    }

    /// The estimates of one file's tests from stored windows (test name → passing durations,
    /// newest first), in name order; tests without a usable duration are left out.
    public func testEstimates(windows: [String: [Double]]) -> [PlanTest] {
        var tests: [PlanTest] = []
        tests.reserveCapacity(windows.count)
        for (name, window) in windows where !name.isEmpty {
            guard let (value, _) = figureAndCount(newestFirst: window) else { continue }
            tests.append(PlanTest(name: name, seconds: max(value, configuration.minimumSeconds)))
        }
        return tests.sorted { $0.name < $1.name }
    }

    /// Plan input for `files`: each file's estimate (as `estimateFiles`) and the estimates of its
    /// tests that have usable history in `testHistory`, keyed by node id (`path::test`).
    /// Returned in the order of `files` (duplicates dropped); each file's tests in name order. See
    /// the grouped variant for `splitCandidates`.
    public func planFiles(
        _ files: [String],
        fileHistory: [String: [DurationSample]],
        testHistory: [String: [DurationSample]] = [:],
        splitCandidates: Int? = nil
    ) -> [PlanFile] {
        var grouped: [String: [String: [DurationSample]]] = [:]
        for (id, samples) in testHistory {
            let (file, test) = NodeID.split(id)
            guard let test, !test.isEmpty else { continue }
            grouped[String(file), default: [:]][String(test)] = samples
        }
        return planFiles(files, fileHistory: fileHistory, testHistoryByFile: grouped, splitCandidates: splitCandidates)
    }

    /// Plan input for `files`, with per-test history grouped by file path, then by the test part
    /// of the node id (`TestX::test_y`) — the shape a store can return without parsing ids.
    ///
    /// The planner only ever cuts the largest files that have two or more test estimates, at most
    /// `maxSplitFiles` (N by default) of them, largest first. Passing that number as
    /// `splitCandidates` computes test estimates only for those files and gives the same plan for
    /// less work; a store can likewise fetch per-test history only for the largest files.
    public func planFiles(
        _ files: [String],
        fileHistory: [String: [DurationSample]],
        testHistoryByFile: [String: [String: [DurationSample]]],
        splitCandidates: Int? = nil
    ) -> [PlanFile] {
        let estimates = estimateFiles(files, history: fileHistory)
        func tests(of path: String) -> [PlanTest] {
            var tests: [PlanTest] = []
            for (name, samples) in testHistoryByFile[path] ?? [:] where !name.isEmpty {
                guard let value = figure(samples) else { continue }
                tests.append(PlanTest(name: name, seconds: max(value, configuration.minimumSeconds)))
            }
            // Name order, so the output does not depend on the dictionary's order.
            return tests.sorted { $0.name < $1.name }
        }
        var testsByFile: [String: [PlanTest]] = [:]
        if let limit = splitCandidates {
            // The planner's cut order: largest estimate first, ties by path.
            let order = estimates.keys.filter { testHistoryByFile[$0] != nil }.sorted { lhs, rhs in
                let (a, b) = (estimates[lhs]!.seconds, estimates[rhs]!.seconds)
                return a != b ? a > b : lhs < rhs
            }
            var found = 0
            for path in order where found < limit {
                let fileTests = tests(of: path)
                testsByFile[path] = fileTests
                if fileTests.count >= 2 { found += 1 }
            }
        } else {
            for path in testHistoryByFile.keys where estimates[path] != nil {
                testsByFile[path] = tests(of: path)
            }
        }
        // Input order (first occurrence): deterministic when `files` is, without sorting 5000 paths.
        var seen = Set<String>(minimumCapacity: files.count)
        var result: [PlanFile] = []
        result.reserveCapacity(estimates.count)
        for path in files where seen.insert(path).inserted {
            result.append(PlanFile(path: path, estimate: estimates[path]!, tests: testsByFile[path] ?? []))
        }
        return result
    }

    private func fill(for path: String, folders: inout FolderMedians) -> Estimate {
        var folder = FolderMedians.parent(of: path[...])
        while let current = folder {
            if let median = folders.median(of: current) {
                return Estimate(seconds: max(median, configuration.minimumSeconds), source: .folderMedian)
            }
            folder = FolderMedians.parent(of: current)
        }
        if let median = folders.median(of: FolderMedians.root) {
            return Estimate(seconds: max(median, configuration.minimumSeconds), source: .suiteMedian)
        }
        return Estimate(seconds: max(configuration.defaultSeconds, configuration.minimumSeconds), source: .default)
    }

    /// The statistic over `values` (oldest first, not empty); may reorder `values`.
    static func statistic(_ statistic: EstimatorStatistic, of values: inout [Double]) -> Double {
        switch statistic {
        case .percentile(let p):
            values.sort()
            return percentile(p, ofSorted: values)
        case .ewma(let alpha):
            var value = values[0]
            for sample in values.dropFirst() {
                value = alpha * sample + (1 - alpha) * value
            }
            return value
        case .mean:
            return values.reduce(0, +) / Double(values.count)
        }
    }

    /// Linear interpolation between closest ranks (numpy's default): p0 is the minimum, p100 the
    /// maximum, p50 of an even count the midpoint of the middle two.
    static func percentile(_ p: Double, ofSorted sorted: [Double]) -> Double {
        let rank = p / 100 * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = rank - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}

/// Known files' estimates grouped by every enclosing folder, for the folder-median fallback.
struct FolderMedians {
    /// The key that holds every known file.
    static let root: Substring = ""

    // Substring keys share the paths' storage, so adding a file allocates no folder names.
    private var values: [Substring: [Double]] = [:]
    private var medians: [Substring: Double] = [:]
    private var spreads: [Substring: Double] = [:]

    /// The folder holding `path` (`a/b/c.py` → `a/b`), or `nil` for a top-level name.
    static func parent(of path: Substring) -> Substring? {
        // Byte search: `lastIndex(of: Character)` walks grapheme clusters and was a hot spot.
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        return path[..<slash]
    }

    /// Groups `(path, value)` pairs by every folder enclosing each path: first by the path's own
    /// folder, then each folder's values go to its ancestors together (a hash per file and a few
    /// per folder, not one per file and ancestor: this was half the time of pooling 5000 files).
    init(_ pairs: some Sequence<(String, Double)>) {
        var byFolder: [Substring: [Double]] = [:]
        for (path, value) in pairs {
            byFolder[Self.parent(of: path[...]) ?? Self.root, default: []].append(value)
        }
        for (folder, list) in byFolder {
            values[Self.root, default: []].append(contentsOf: list)
            var current: Substring? = folder == Self.root ? nil : folder
            while let each = current {
                values[each, default: []].append(contentsOf: list)
                current = Self.parent(of: each)
            }
        }
    }

    /// The nearest folder enclosing `path` (else the root) that holds at least `minimum` values.
    func nearestGroup(of path: Substring, minimum: Int) -> Substring? {
        var folder = Self.parent(of: path)
        while let current = folder {
            if (values[current]?.count ?? 0) >= minimum { return current }
            folder = Self.parent(of: current)
        }
        return (values[Self.root]?.count ?? 0) >= minimum ? Self.root : nil
    }

    /// The nearest group above `folder` that holds more values than it; `nil` for the root.
    func enclosingGroup(of folder: Substring) -> Substring? {
        guard folder != Self.root else { return nil }
        let own = values[folder]?.count ?? 0
        var current = Self.parent(of: folder)
        while let candidate = current {
            if (values[candidate]?.count ?? 0) > own { return candidate }
            current = Self.parent(of: candidate)
        }
        return (values[Self.root]?.count ?? 0) > own ? Self.root : nil
    }

    /// The median and robust variance ((1.4826 × median absolute deviation)²) of a folder's
    /// values, when it holds at least `minimum`.
    mutating func group(_ folder: Substring, minimum: Int) -> (center: Double, spread: Double)? {
        guard let known = values[folder], known.count >= minimum, let center = median(of: folder) else { return nil }
        if let spread = spreads[folder] { return (center, spread) }
        let deviations = known.map { abs($0 - center) }.sorted()
        let mad = 1.4826 * Estimator.percentile(50, ofSorted: deviations)
        spreads[folder] = mad * mad
        return (center, mad * mad)
    }

    mutating func median(of folder: Substring) -> Double? {
        if let cached = medians[folder] { return cached }
        guard let known = values[folder], !known.isEmpty else { return nil }
        let median = Estimator.percentile(50, ofSorted: known.sorted())
        medians[folder] = median
        return median
    }
}
