// Measurements behind the planner's choices (docs/BENCHMARKS.md, "Planning"):
//   planner-bench estimators DIR [--seeds S] [--history N] [--standard-only]
//                                              which estimator statistic and window K schedule best;
//                                              "pooled" is the standard estimator as the coordinator
//                                              runs it (figures pooled within folders, σ 0.3)
//   planner-bench speed                        how long planning 5000 files takes
// Build and run in release: swift run -c release planner-bench ...
import Foundation
import TestShardPlanner

// MARK: Seeded randomness (SplitMix64; Box–Muller for normals)

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u1 = max(unit(), 1e-300)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
    /// Mean-one lognormal noise factor.
    mutating func noise(_ sigma: Double) -> Double { exp(sigma * normal() - sigma * sigma / 2) }
}

// MARK: Schedules evaluated with actual durations

/// Dynamic pull: items in descending estimate order, each to the slot that frees first.
func dynamicMakespan(order: [Int], actual: [Double], slots: Int) -> Double {
    var free = [Double](repeating: 0, count: slots)
    for item in order {
        var slot = 0
        for s in 1..<slots where free[s] < free[slot] { slot = s }
        free[slot] += actual[item]
    }
    return free.max()!
}

/// Static plan from the real planner on the estimates, run with actual durations.
func staticMakespan(names: [String], estimates: [Double], actual: [Double], slots: Int) -> Double {
    let files = names.indices.map {
        PlanFile(path: names[$0], estimate: Estimate(seconds: estimates[$0], source: .history, sampleCount: 1))
    }
    let plan = try! Planner(shardCount: slots).plan(files)
    let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    return plan.shards.map { shard in shard.items.reduce(0) { $0 + actual[index[$1.id]!] } }.max()!
}

// MARK: estimators

struct Candidate {
    let label: String
    let estimator: Estimator
}

func candidates() -> [Candidate] {
    var list: [Candidate] = []
    func add(_ statistic: EstimatorStatistic, _ window: Int, _ label: String? = nil) {
        let configuration = try! EstimatorConfiguration(statistic: statistic, window: window)
        list.append(
            Candidate(label: label ?? "\(statistic) K=\(window)", estimator: Estimator(configuration: configuration))
        )
    }
    add(.percentile(100), 1, "last value")
    add(.mean, 5)
    add(.mean, 10)
    add(.mean, 20)
    add(.percentile(50), 3)
    add(.percentile(50), 5)
    add(.percentile(50), 10)
    add(.percentile(50), 20)
    add(.percentile(75), 10)
    add(.percentile(75), 20)
    add(.percentile(90), 5)
    add(.percentile(90), 10)
    add(.percentile(90), 20)
    add(.percentile(100), 5, "max K=5")
    add(.ewma(alpha: 0.1), 20)
    add(.ewma(alpha: 0.2), 10)
    add(.ewma(alpha: 0.2), 20)
    add(.ewma(alpha: 0.3), 20)
    add(.ewma(alpha: 0.5), 20)
    return list
}

enum Scenario: String, CaseIterable {
    /// Samples = mean × lognormal noise.
    case clean
    /// As clean, but 5% of samples (history and actual) are 3× (a busy or slow host).
    case outliers
    /// As clean, but 20% of items changed speed (×0.5 or ×2) somewhere in their history.
    case drift
}

func estimators(directory: String, seeds: Int, history: Int, standardOnly: Bool) throws {
    let shardCounts = [4, 8, 16, 32]
    let sigmas = [0.3, 0.6]
    let list = candidates().filter { !standardOnly || $0.label == "ewma(α=0.2) K=20" }
    let pooledLabel = "ewma(α=0.2) K=20 pooled"
    var datasets: [(String, [String], [Double])] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where name.hasSuffix(".json") {
        let file = try DurationsFile(jsonData: FileManager.default.contents(atPath: directory + "/" + name)!)
        guard file.unit == .file else { continue }
        let names = file.durations.keys.sorted()
        // A few datasets hold zero-second entries; a mean of zero has no noise to learn.
        datasets.append((name, names, names.map { max(file.durations[$0]!, 1e-4) }))
    }
    print(
        "datasets (file level): \(datasets.count); seeds \(seeds); N \(shardCounts); history \(history) samples per file"
    )
    // ratio sums: [scenario][sigma][candidate] -> (dynamic, static); plus oracle
    var sums = [String: (dynamic: Double, staticPlan: Double, worstDynamic: Double, worstStatic: Double, count: Int)]()
    for (datasetIndex, (_, names, means)) in datasets.enumerated() {
        for scenario in Scenario.allCases {
            for (sigmaIndex, sigma) in sigmas.enumerated() {
                for seed in 0..<seeds {
                    // Fixed seed per (dataset, scenario, σ, seed): every candidate sees the same draws.
                    let scenarioIndex = Scenario.allCases.firstIndex(of: scenario)!
                    var random = SplitMix64(
                        seed: UInt64(((datasetIndex * 8 + scenarioIndex) * 4 + sigmaIndex) * 1000 + seed)
                    )
                    // 1. True means now (after any drift) and the history that led to them.
                    var now = means
                    var samples: [[DurationSample]] = []
                    samples.reserveCapacity(means.count)
                    for item in means.indices {
                        // Drift: the change happens at a random run 5…18 of 20, so 2…15 recent
                        // samples reflect the new speed (no window size is favoured by design).
                        var changeAt = 0
                        if scenario == .drift, random.unit() < 0.2 {
                            now[item] = means[item] * (random.unit() < 0.5 ? 0.5 : 2)
                            changeAt = 5 + Int(random.next() % 14)
                        }
                        var list: [DurationSample] = []
                        for k in 0..<history {
                            let mean = k < changeAt ? means[item] : now[item]
                            var value = mean * random.noise(sigma)
                            if scenario == .outliers, random.unit() < 0.05 { value *= 3 }
                            list.append(DurationSample(seconds: value, recordedAt: Double(k)))
                        }
                        samples.append(list)
                    }
                    // 2. The run that the plan is for.
                    let actual = now.map { mean -> Double in
                        var value = mean * random.noise(sigma)
                        if scenario == .outliers, random.unit() < 0.05 { value *= 3 }
                        return value
                    }
                    let total = actual.reduce(0, +)
                    let longest = actual.max()!
                    var entries: [(String, [Double])] = [("oracle (true means)", now)]
                    for candidate in list {
                        entries.append((candidate.label, samples.map { candidate.estimator.figure($0)! }))
                    }
                    // What the coordinator estimates: the standard setting over the whole suite,
                    // each figure pooled with its folder's by as much as sample noise explains.
                    let pooled = Estimator().estimateFiles(
                        names,
                        history: Dictionary(uniqueKeysWithValues: zip(names, samples))
                    )
                    entries.append((pooledLabel, names.map { pooled[$0]!.seconds }))
                    for slots in shardCounts {
                        let bound = max(total / Double(slots), longest)
                        for (label, estimates) in entries {
                            let order = estimates.indices.sorted {
                                estimates[$0] != estimates[$1] ? estimates[$0] > estimates[$1] : names[$0] < names[$1]
                            }
                            let dynamic = dynamicMakespan(order: order, actual: actual, slots: slots) / bound
                            let fixed =
                                staticMakespan(names: names, estimates: estimates, actual: actual, slots: slots) / bound
                            let key = "\(scenario.rawValue)|\(sigma)|\(label)"
                            var entry = sums[key] ?? (0, 0, 0, 0, 0)
                            entry.dynamic += dynamic
                            entry.staticPlan += fixed
                            entry.worstDynamic = max(entry.worstDynamic, dynamic)
                            entry.worstStatic = max(entry.worstStatic, fixed)
                            entry.count += 1
                            sums[key] = entry
                        }
                    }
                }
            }
        }
    }
    let labels = ["oracle (true means)"] + list.map(\.label) + [pooledLabel]
    print("")
    print("mean makespan / max(actual total / N, longest actual item); worst case in brackets")
    print("")
    var header = "| estimator |"
    var rule = "|---|"
    for scenario in Scenario.allCases {
        for sigma in sigmas {
            header += " \(scenario.rawValue) σ=\(sigma) dynamic | static |"
            rule += "---|---|"
        }
    }
    print(header)
    print(rule)
    for label in labels {
        var row = "| \(label) |"
        for scenario in Scenario.allCases {
            for sigma in sigmas {
                let entry = sums["\(scenario.rawValue)|\(sigma)|\(label)"]!
                let n = Double(entry.count)
                row += String(
                    format: " %.4f (%.3f) | %.4f (%.3f) |",
                    entry.dynamic / n,
                    entry.worstDynamic,
                    entry.staticPlan / n,
                    entry.worstStatic
                )
            }
        }
        print(row)
    }
    print("")
    print("overall mean over all scenarios, σ, N, datasets (dynamic, static):")
    for label in labels {
        var dynamic = 0.0
        var fixed = 0.0
        var count = 0
        for scenario in Scenario.allCases {
            for sigma in sigmas {
                let entry = sums["\(scenario.rawValue)|\(sigma)|\(label)"]!
                dynamic += entry.dynamic
                fixed += entry.staticPlan
                count += entry.count
            }
        }
        print(String(format: "  %-22@ %.4f  %.4f", label as NSString, dynamic / Double(count), fixed / Double(count)))
    }
}

// MARK: speed

func speed() throws {
    var random = SplitMix64(seed: 42)
    let folders = (0..<60).map { "tests/area\($0 / 10)/pkg\($0)" }
    var fileHistory: [String: [DurationSample]] = [:]
    var testHistory: [String: [DurationSample]] = [:]
    var paths: [String] = []
    for index in 0..<5000 {
        let path = "\(folders[Int(random.next() % 60)])/test_\(index).py"
        paths.append(path)
        if random.unit() < 0.05 { continue }  // no history: folder median
        let mean = 2 * exp(1.3 * random.normal())
        let testCount = random.unit() < 0.1 ? 10 + Int(random.next() % 41) : 0
        fileHistory[path] = (0..<10).map { DurationSample(seconds: mean * random.noise(0.3), recordedAt: Double($0)) }
        for test in 0..<testCount {
            testHistory["\(path)::test_\(test)"] = (0..<10).map {
                DurationSample(seconds: mean / Double(testCount) * random.noise(0.3), recordedAt: Double($0))
            }
        }
    }
    let estimator = Estimator()
    let files = estimator.planFiles(paths, fileHistory: fileHistory, testHistory: testHistory)
    let tests = files.reduce(0) { $0 + $1.tests.count }
    print(
        "5000 files (\(files.filter { !$0.tests.isEmpty }.count) with 10–50 test estimates, \(tests) tests; \(files.filter { $0.estimate.source != .history }.count) without history), 10 samples each"
    )
    // Over 31 runs: median wall time (what a caller sees) and median CPU time of this thread
    // (what the work costs; the machine is shared, so wall time also counts other processes).
    func cpuMilliseconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1e6
    }
    func timed(_ runs: Int, _ body: () throws -> Void) rethrows -> String {
        var wall: [Double] = []
        var cpu: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<runs {
            let cpuStart = cpuMilliseconds()
            let elapsed = try clock.measure(body)
            cpu.append(cpuMilliseconds() - cpuStart)
            wall.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        wall.sort()
        cpu.sort()
        return String(format: "median %.2f ms wall, %.2f ms CPU", wall[runs / 2], cpu[runs / 2])
    }
    print("estimate files only: " + timed(31) { _ = estimator.estimateFiles(paths, history: fileHistory) })
    print(
        "estimate files + tests (planFiles): "
            + timed(31) {
                _ = estimator.planFiles(paths, fileHistory: fileHistory, testHistory: testHistory)
            }
    )
    var grouped: [String: [String: [DurationSample]]] = [:]
    for (id, samples) in testHistory {
        let parts = id.components(separatedBy: "::")
        grouped[parts[0], default: [:]][parts.dropFirst().joined(separator: "::")] = samples
    }
    print(
        "estimate files + tests grouped by file (testHistoryByFile): "
            + timed(31) {
                _ = estimator.planFiles(paths, fileHistory: fileHistory, testHistoryByFile: grouped)
            }
    )
    print(
        "estimate files + tests of the 64 largest (testHistoryByFile, splitCandidates: 64): "
            + timed(31) {
                _ = estimator.planFiles(
                    paths,
                    fileHistory: fileHistory,
                    testHistoryByFile: grouped,
                    splitCandidates: 64
                )
            }
    )
    // A heavy-tailed variant: 20 files hold half the time, so they must be cut to reach the bound.
    var heavy = files
    for index in stride(from: 0, to: heavy.count, by: 250) where heavy[index].tests.count >= 10 || index % 500 == 0 {
        let tests = (0..<40).map { PlanTest(name: "test_giant_\($0)", seconds: 30 + Double($0)) }
        heavy[index] = PlanFile(
            path: heavy[index].path,
            estimate: Estimate(seconds: tests.reduce(0) { $0 + $1.seconds }, source: .history),
            tests: tests
        )
    }
    for (label, input) in [("mixed", files), ("giant files", heavy)] {
        for shards in [8, 32, 64] {
            let planner = try Planner(shardCount: shards)
            var plan: Plan?
            let time = try timed(31) { plan = try planner.plan(input) }
            print(
                String(
                    format: "plan %@ N=%d: %@ (split %d files, makespan/bound %.4f)",
                    label,
                    shards,
                    time,
                    plan!.splitFiles.count,
                    plan!.estimatedMakespanSeconds / plan!.lowerBoundSeconds
                )
            )
        }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "estimators":
    let directory = arguments.count > 1 ? arguments[1] : "/work/shared/bench/durations"
    let seeds = arguments.firstIndex(of: "--seeds").map { Int(arguments[$0 + 1])! } ?? 5
    let history = arguments.firstIndex(of: "--history").map { Int(arguments[$0 + 1])! } ?? 20
    try estimators(
        directory: directory,
        seeds: seeds,
        history: history,
        standardOnly: arguments.contains("--standard-only")
    )
case "speed":
    try speed()
default:
    print("usage: planner-bench estimators [DIR] [--seeds S] [--history N] [--standard-only] | planner-bench speed")
}
