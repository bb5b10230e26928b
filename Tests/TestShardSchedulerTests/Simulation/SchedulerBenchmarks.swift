import Foundation
import TestShardModel
import TestShardScheduler
import Testing

/// Scheduling quality measured by simulation on real duration sets (bench/durations): wall time over
/// the fluid bound for TestShard's longest-first GSS queue, a static LPT plan, and one item per shard;
/// and the sweep that picked the batching constants.
///
/// Rerun: `TESTSHARD_SCHEDULER_BENCH=1 swift test -c release -Xswiftc -enable-testing
/// --filter SchedulerBenchmarks` (optionally
/// `TESTSHARD_DURATIONS_DIR=…`, default `/work/shared/bench/durations`). Figures go to stdout.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TESTSHARD_SCHEDULER_BENCH"] != nil))
struct SchedulerBenchmarks {
    struct Dataset {
        let name: String
        let durations: [(String, Double)]
    }

    static func datasets(unit: String) -> [Dataset] {
        let directory =
            ProcessInfo.processInfo.environment["TESTSHARD_DURATIONS_DIR"] ?? "/work/shared/bench/durations"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { name in
            guard name.hasSuffix(".json"),
                let data = FileManager.default.contents(atPath: directory + "/" + name),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                object["unit"] as? String == unit,
                let durations = object["durations"] as? [String: Double]
            else { return nil }
            return Dataset(
                name: String(name.dropLast(5)),
                durations: durations.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            )
        }
    }

    struct Scenario {
        var workers: Int
        var startCost: Double
        var sigma = 0.3
        var slowFactor = 1.5
        var perItemCost = 0.005
        var seed: UInt64
    }

    struct Measured {
        var gss: Double
        var staticLPT: Double
        var perItem: Double
        var shards: Int
        var learnedStartCost: Double
    }

    /// Workers `w1…wN`, the last one `slowFactor` slower.
    static func workers(_ scenario: Scenario) -> [SimulatedWorker] {
        (1...scenario.workers).map { number in
            SimulatedWorker(id: WorkerID("w\(number)"), speed: number == scenario.workers ? scenario.slowFactor : 1)
        }
    }

    static func noisyActuals(_ dataset: Dataset, sigma: Double, seed: UInt64) -> [WorkItem: Double] {
        var generator = SeededGenerator(seed: seed)
        var actual: [WorkItem: Double] = [:]
        for (name, seconds) in dataset.durations {
            actual[WorkItem(name)] = seconds * generator.lognormal(sigma: sigma)
        }
        return actual
    }

    /// max(total work / total speed, longest item on the fastest worker): no schedule beats it.
    static func fluidBound(_ actual: [WorkItem: Double], workers: [SimulatedWorker]) -> Double {
        let capacity = workers.reduce(0) { $0 + Double($1.slots) / $1.speed }
        let fastest = workers.map(\.speed).min() ?? 1
        return max(actual.values.reduce(0, +) / capacity, (actual.values.max() ?? 0) * fastest)
    }

    /// A static plan: LPT on the estimates into one shard per worker, each run as one process.
    static func staticLPT(_ dataset: Dataset, actual: [WorkItem: Double], scenario: Scenario) -> Double {
        let workers = workers(scenario)
        var loads = Array(repeating: 0.0, count: workers.count)
        var counts = Array(repeating: 0, count: workers.count)
        var actualLoads = Array(repeating: 0.0, count: workers.count)
        let ordered = dataset.durations.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        for (name, estimate) in ordered {
            var best = 0
            for shard in loads.indices
            where loads[shard] < loads[best] || (loads[shard] == loads[best] && counts[shard] < counts[best]) {
                best = shard
            }
            loads[best] += estimate
            counts[best] += 1
            actualLoads[best] += actual[WorkItem(name)] ?? 0
        }
        return workers.indices.map { index in
            workers[index].speed
                * (scenario.startCost + scenario.perItemCost * Double(counts[index]) + actualLoads[index])
        }.max() ?? 0
    }

    static func simulate(
        _ dataset: Dataset,
        actual: [WorkItem: Double],
        scenario: Scenario,
        configuration: SchedulerConfiguration
    ) throws -> SimulationResult {
        var configuration = configuration
        configuration.leaseTimeout = 1e9  // nobody dies here; heartbeats would only cost events
        configuration.initialStartCost = 1
        configuration.expectedWorkers = scenario.workers
        configuration.noWorkersTimeout = nil
        configuration.shardTimeout = max(configuration.shardTimeout, 10 * (actual.values.max() ?? 0))
        let setup = SimulationSetup(
            items: dataset.durations.map { EstimatedItem(WorkItem($0.0), estimatedSeconds: $0.1) },
            actualSeconds: actual,
            workers: workers(scenario),
            startCost: scenario.startCost,
            perItemCost: scenario.perItemCost,
            configuration: configuration,
            heartbeats: false
        )
        var simulator = try SchedulerSimulator(setup)
        return simulator.run()
    }

    static func measure(
        _ dataset: Dataset,
        scenario: Scenario,
        configuration: SchedulerConfiguration
    ) throws
        -> Measured
    {
        let actual = noisyActuals(dataset, sigma: scenario.sigma, seed: scenario.seed)
        let bound = fluidBound(actual, workers: workers(scenario))
        let gss = try simulate(dataset, actual: actual, scenario: scenario, configuration: configuration)
        var oneEach = configuration
        oneEach.maxBatchSeconds = 1e-9
        let perItem = try simulate(dataset, actual: actual, scenario: scenario, configuration: oneEach)
        return Measured(
            gss: gss.wall / bound,
            staticLPT: staticLPT(dataset, actual: actual, scenario: scenario) / bound,
            perItem: perItem.wall / bound,
            shards: gss.shards,
            learnedStartCost: gss.learnedStartCost
        )
    }

    static func geometricMean(_ values: [Double]) -> Double {
        exp(values.map { log($0) }.reduce(0, +) / Double(max(1, values.count)))
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    /// (a) TestShard (GSS, shipped defaults) vs a static LPT plan vs one item per shard, per dataset.
    @Test func wallOverBoundPerDataset() throws {
        let sets = Self.datasets(unit: "file") + Self.datasets(unit: "test")
        try #require(!sets.isEmpty, "no duration sets found")
        print("dataset | workers | start s | GSS wall/bound | static LPT | 1 item/shard | GSS shards | learned start s")
        var rows: [String: [Double]] = [:]
        for workers in [4, 8] {
            for startCost in [1.0, 2.0] {
                var gss: [Double] = []
                var lpt: [Double] = []
                var single: [Double] = []
                for dataset in sets {
                    var sums = (0.0, 0.0, 0.0, 0, 0.0)
                    let seeds: [UInt64] = [1, 2, 3]
                    for seed in seeds {
                        let scenario = Scenario(workers: workers, startCost: startCost, seed: seed)
                        let m = try Self.measure(dataset, scenario: scenario, configuration: SchedulerConfiguration())
                        sums = (
                            sums.0 + m.gss, sums.1 + m.staticLPT, sums.2 + m.perItem, sums.3 + m.shards,
                            sums.4 + m.learnedStartCost
                        )
                    }
                    let n = Double(seeds.count)
                    gss.append(sums.0 / n)
                    lpt.append(sums.1 / n)
                    single.append(sums.2 / n)
                    print(
                        "\(dataset.name) | \(workers) | \(startCost) | \(Self.format(sums.0 / n)) | "
                            + "\(Self.format(sums.1 / n)) | \(Self.format(sums.2 / n)) | \(sums.3 / seeds.count) | "
                            + "\(Self.format(sums.4 / n))"
                    )
                }
                rows["\(workers) workers, start \(startCost) s"] = [
                    Self.geometricMean(gss), Self.geometricMean(lpt), Self.geometricMean(single),
                    gss.max() ?? 0, Double(gss.filter { $0 <= 1.05 }.count) / Double(gss.count),
                ]
            }
        }
        print("summary | GSS geomean | static LPT geomean | 1 item/shard geomean | GSS worst | share of sets ≤ 1.05")
        for key in rows.keys.sorted() {
            let r = rows[key] ?? []
            print("\(key) | " + r.map(Self.format).joined(separator: " | "))
        }
    }

    /// A list of numbers from an environment variable (`1,2,3`), or `defaults`.
    static func grid(_ name: String, _ defaults: [Double]) -> [Double] {
        guard let text = ProcessInfo.processInfo.environment[name] else { return defaults }
        return text.split(separator: ",").compactMap { Double($0) }
    }

    /// (b) The sweep that picked `batchFactor`, `startCostFraction` and `maxBatchSeconds`. Narrow it with
    /// `SWEEP_FACTORS`, `SWEEP_FRACTIONS`, `SWEEP_MAX_BATCH`, `SWEEP_START_COSTS` (comma lists) and
    /// `SWEEP_SIGMA` (the estimate noise, default 0.3).
    @Test func batchingConstantsSweep() throws {
        let sets = Self.datasets(unit: "file") + Self.datasets(unit: "test")
        try #require(!sets.isEmpty, "no duration sets found")
        print(
            "factor | start fraction | max batch s | start s | GSS wall/bound geomean | worst | mean shards | "
                + "geomean where bound < 60 s | geomean where bound ≥ 60 s"
        )
        for startCost in Self.grid("SWEEP_START_COSTS", [1, 2]) {
            for factor in Self.grid("SWEEP_FACTORS", [1, 2, 3, 4]) {
                for fraction in Self.grid("SWEEP_FRACTIONS", [0.05, 0.1, 0.2]) {
                    for maxBatch in Self.grid("SWEEP_MAX_BATCH", [120, 300, 600]) {
                        var configuration = SchedulerConfiguration()
                        configuration.batchFactor = factor
                        configuration.startCostFraction = fraction
                        configuration.maxBatchSeconds = maxBatch
                        configuration.shardTimeout = 4 * maxBatch
                        var ratios: [Double] = []
                        var small: [Double] = []
                        var large: [Double] = []
                        var shards = 0
                        for dataset in sets {
                            for seed: UInt64 in [1, 2] {
                                for workers in [4, 8] {
                                    let scenario = Scenario(
                                        workers: workers,
                                        startCost: startCost,
                                        sigma: Self.grid("SWEEP_SIGMA", [0.3])[0],
                                        seed: seed
                                    )
                                    let actual = Self.noisyActuals(dataset, sigma: scenario.sigma, seed: seed)
                                    let bound = Self.fluidBound(actual, workers: Self.workers(scenario))
                                    let run = try Self.simulate(
                                        dataset,
                                        actual: actual,
                                        scenario: scenario,
                                        configuration: configuration
                                    )
                                    ratios.append(run.wall / bound)
                                    if bound < 60 {
                                        small.append(run.wall / bound)
                                    } else {
                                        large.append(run.wall / bound)
                                    }
                                    shards += run.shards
                                }
                            }
                        }
                        print(
                            "\(factor) | \(fraction) | \(Int(maxBatch)) | \(startCost) | "
                                + "\(Self.format(Self.geometricMean(ratios))) | \(Self.format(ratios.max() ?? 0)) | "
                                + "\(shards / ratios.count) | \(Self.format(Self.geometricMean(small))) | "
                                + "\(Self.format(Self.geometricMean(large)))"
                        )
                    }
                }
            }
        }
    }

    /// Wall over the fluid bound and shards started with a scheduling rule on and off, over the real
    /// duration sets (file and test level), the noise and seeds of (a), 2, 4 and 8 workers and three
    /// start costs: geometric means, and the datasets where the rule moved the wall most.
    static func compareRule(_ rule: (inout SchedulerConfiguration, Bool) -> Void) throws {
        let sets = Self.datasets(unit: "file") + Self.datasets(unit: "test")
        try #require(!sets.isEmpty, "no duration sets found")
        print("workers | start s | wall/bound on | off | shards on | off | worst on/off | best on/off")
        for workers in [2, 4, 8] {
            for startCost in [0.5, 1.0, 2.0] {
                var on: [Double] = []
                var off: [Double] = []
                var shards = (0, 0)
                var ratios: [(String, Double)] = []
                for dataset in sets {
                    for seed: UInt64 in [1, 2, 3] {
                        let scenario = Scenario(workers: workers, startCost: startCost, seed: seed)
                        let actual = Self.noisyActuals(dataset, sigma: scenario.sigma, seed: seed)
                        let bound = Self.fluidBound(actual, workers: Self.workers(scenario))
                        func wall(_ enabled: Bool) throws -> SimulationResult {
                            var change = SchedulerConfiguration()
                            rule(&change, enabled)
                            return try Self.simulate(dataset, actual: actual, scenario: scenario, configuration: change)
                        }
                        let with = try wall(true)
                        let without = try wall(false)
                        on.append(with.wall / bound)
                        off.append(without.wall / bound)
                        shards.0 += with.shards
                        shards.1 += without.shards
                        ratios.append(("\(dataset.name)#\(seed)", with.wall / without.wall))
                    }
                }
                ratios.sort { $0.1 < $1.1 }
                print(
                    "\(workers) | \(startCost) | \(Self.format(Self.geometricMean(on))) | "
                        + "\(Self.format(Self.geometricMean(off))) | \(shards.0) | \(shards.1) | "
                        + "\(Self.format(ratios.last?.1 ?? 0)) \(ratios.last?.0 ?? "") | "
                        + "\(Self.format(ratios.first?.1 ?? 0)) \(ratios.first?.0 ?? "")"
                )
            }
        }
    }

    /// (d) The tail rule (`balanceTail`) on and off (`evenLastBatches` on in both).
    @Test func tailBalanceOnAndOff() throws {
        try Self.compareRule { $0.balanceTail = $1 }
    }

    /// (e) Even last batches (`evenLastBatches`) on and off (`balanceTail` on in both).
    @Test func evenLastBatchesOnAndOff() throws {
        try Self.compareRule { $0.evenLastBatches = $1 }
    }

    /// (g) Workers' learned pace in the tail (`workerPace`) on and off.
    @Test func workerPaceOnAndOff() throws {
        try Self.compareRule { $0.workerPace = $1 }
    }

    /// (f) The seed's scale with the box's speed off the history: 5000 tiny files over 2 workers whose
    /// real cost per file is the history's × `drift`, one worker `slow` × slower (two processes on two
    /// cores do not run alike), even last batches on and off. The history (a previous run) already
    /// taught the scheduler the per-file cost: estimates include it.
    @Test func seedScaleWithDrift() throws {
        print("drift | slow | even on: shards | wall s | off: shards | wall s | on / off")
        for drift in [0.85, 1.0, 1.15] {
            for slow in [1.0, 1.1] {
                func run(_ even: Bool) throws -> SimulationResult {
                    try SchedulerSimulationTests.tinyFiles(
                        workers: 2,
                        perItemPrior: 0,
                        hold: true,
                        estimate: 0.0055,
                        actual: 0.0055 * drift,
                        perItemCost: 0,
                        slowLast: slow
                    ) { $0.evenLastBatches = even }
                }
                let on = try run(true)
                let off = try run(false)
                print(
                    "\(drift) | \(slow) | \(on.shards) | \(Self.format(on.wall)) | \(off.shards) | "
                        + "\(Self.format(off.wall)) | \(Self.format(on.wall / off.wall))"
                )
            }
        }
    }

    /// (c) The seed's scale (issue 8 item 4): 5000 tiny files over 2 local workers, with and without
    /// holding dispatch until both joined, with and without a per-item cost prior.
    @Test func seedScaleTinyFiles() throws {
        let oneProcess = 0.9 + 5000 * (0.0005 + 0.0033)
        print("hold | per-item prior s | shards | wall s | wall / one process (\(Self.format(oneProcess)) s)")
        for hold in [true, false] {
            for prior in [0, 0.0065] {
                let result = try SchedulerSimulationTests.tinyFiles(workers: 2, perItemPrior: prior, hold: hold)
                print(
                    "\(hold) | \(prior) | \(result.shards) | \(Self.format(result.wall)) | "
                        + Self.format(result.wall / oneProcess)
                )
            }
        }
    }
}
