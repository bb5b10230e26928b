import TestShardModel
import TestShardScheduler
import Testing

/// Whole runs in virtual time: a suite of lognormal durations over workers that differ in speed, die,
/// or hang. Deterministic (fixed seeds), so the ratios asserted here cannot flake.
@Suite struct SchedulerSimulationTests {
    /// 400 files, lognormal sizes (median 5 s, σ 1.2), estimates off by lognormal σ = 0.3.
    static func suite(seed: UInt64) -> (items: [EstimatedItem], actual: [WorkItem: Double]) {
        var random = SeededGenerator(seed: seed)
        var items: [EstimatedItem] = []
        var actual: [WorkItem: Double] = [:]
        for number in 0..<400 {
            let item = WorkItem("tests/test_\(number).py")
            let estimate = 5 * random.lognormal(sigma: 1.2)
            items.append(EstimatedItem(item, estimatedSeconds: estimate))
            actual[item] = estimate * random.lognormal(sigma: 0.3)
        }
        return (items, actual)
    }

    static func fourWorkersOneSlow() -> [SimulatedWorker] {
        (1...4).map { SimulatedWorker(id: WorkerID("w\($0)"), speed: $0 == 4 ? 1.5 : 1) }
    }

    static func bound(_ actual: [WorkItem: Double], _ workers: [SimulatedWorker]) -> Double {
        let capacity = workers.reduce(0) { $0 + Double($1.slots) / $1.speed }
        return max(actual.values.reduce(0, +) / capacity, actual.values.max() ?? 0)
    }

    @Test func aNoisySuiteOnASlowHostEndsCloseToTheBound() throws {
        let (items, actual) = Self.suite(seed: 7)
        var configuration = SchedulerConfiguration()
        configuration.expectedWorkers = 4
        let workers = Self.fourWorkersOneSlow()
        var simulator = try SchedulerSimulator(
            SimulationSetup(
                items: items,
                actualSeconds: actual,
                workers: workers,
                startCost: 1,
                configuration: configuration
            )
        )
        let result = simulator.run()
        #expect(result.summary.passed == 400)
        #expect(result.wall / Self.bound(actual, workers) < 1.05)
    }

    @Test func deathsAndAHangStillGiveEveryItemItsRealResult() throws {
        let (items, actual) = Self.suite(seed: 11)
        var configuration = SchedulerConfiguration()
        configuration.shardTimeout = 600
        var workers = Self.fourWorkersOneSlow()
        workers[0].diesAt = 100  // connection lost: its shards requeue at once
        workers[1].diesAt = 150
        workers[1].silentDeath = true  // only missing heartbeats tell
        workers[1].rejoinsAfter = 60
        let hanging = items[17].item
        var simulator = try SchedulerSimulator(
            SimulationSetup(
                items: items,
                actualSeconds: actual,
                workers: workers,
                startCost: 1,
                configuration: configuration,
                hangs: [hanging],
                reportsProgress: false
            )
        )
        let result = simulator.run()
        #expect(result.finals[hanging] == [.timeout])
        #expect(result.summary.passed == 399)
        #expect(result.finals.values.allSatisfy { $0.count == 1 })
        #expect(result.acceptedTestResults.values.allSatisfy { $0 == 1 })
    }

    @Test func aTestThatFailsOnceIsRetriedOnAnotherWorkerAndReportedFlaky() throws {
        let (items, actual) = Self.suite(seed: 3)
        let flaky = items[5].item
        var setup = SimulationSetup(
            items: items,
            actualSeconds: actual,
            workers: Self.fourWorkersOneSlow(),
            startCost: 1,
            configuration: SchedulerConfiguration()
        )
        setup.status = { item, attempt, _ in item.file == flaky.id && attempt == 1 ? .failed : .passed }
        var simulator = try SchedulerSimulator(setup, keepActions: true)
        let result = simulator.run()
        #expect(result.finals[flaky] == [.flaky])
        let failedOn = result.actions.compactMap { action -> [WorkerID]? in
            if case .testRetryScheduled(_, let item, _, let avoiding) = action, item == flaky { avoiding } else { nil }
        }
        let retriedOn = result.actions.assignments.filter {
            $0.assignment.items.contains(WorkItem(flaky.id + "::test"))
        }
        #expect(failedOn.count == 1 && retriedOn.count == 1)
        #expect(!failedOn[0].contains(retriedOn[0].worker))
    }

    /// A worker 1.5× slower learns its pace from its first shards and gets a smaller share of the
    /// tail, so it does not end last alone: 40 files of 2 s, exact estimates, a 1 s start.
    @Test func aSlowWorkersShareOfTheTailFollowsItsPace() throws {
        func run(_ paced: Bool) throws -> SimulationResult {
            let items = (1...40).map { EstimatedItem(WorkItem(fileName($0)), estimatedSeconds: 2) }
            var configuration = SchedulerConfiguration()
            configuration.initialStartCost = 1
            configuration.leaseTimeout = 1e9
            configuration.workerPace = paced
            configuration.expectedWorkers = 2
            var setup = SimulationSetup(
                items: items,
                actualSeconds: Dictionary(uniqueKeysWithValues: items.map { ($0.item, 2) }),
                workers: [SimulatedWorker(id: "fast"), SimulatedWorker(id: "slow", speed: 1.5)],
                startCost: 1,
                configuration: configuration
            )
            setup.heartbeats = false
            var simulator = try SchedulerSimulator(setup)
            return simulator.run()
        }
        let paced = try run(true)
        let unpaced = try run(false)
        #expect(paced.summary.passed == 40)
        #expect(paced.wall < unpaced.wall, "paced \(paced.wall) s, unpaced \(unpaced.wall) s")
        #expect(paced.shards <= unpaced.shards + 2)
    }

    @Test func theDynamicQueueBeatsAStaticPlanWhenOneHostIsSlow() throws {
        let (items, actual) = Self.suite(seed: 5)
        let workers = Self.fourWorkersOneSlow()
        var configuration = SchedulerConfiguration()
        configuration.expectedWorkers = 4
        var simulator = try SchedulerSimulator(
            SimulationSetup(
                items: items,
                actualSeconds: actual,
                workers: workers,
                startCost: 1,
                configuration: configuration
            )
        )
        let dynamic = simulator.run().wall
        // Static LPT on the estimates, one shard per worker.
        var loads = [0.0, 0.0, 0.0, 0.0]
        var actualLoads = [0.0, 0.0, 0.0, 0.0]
        for entry in items.sorted(by: { $0.estimatedSeconds > $1.estimatedSeconds }) {
            let shard = loads.indices.min { loads[$0] < loads[$1] } ?? 0
            loads[shard] += entry.estimatedSeconds
            actualLoads[shard] += actual[entry.item] ?? 0
        }
        let planned = workers.indices.map { workers[$0].speed * (1 + actualLoads[$0]) }.max() ?? 0
        #expect(dynamic < 0.85 * planned)
    }

    /// The seed's scale: 5000 tiny files whose history says ~0.5 ms each (`estimate`), while each
    /// really costs ~3.8 ms of collection (`actual` + `perItemCost`) and a shard 0.9 s to start
    /// (DESIGN.md's measurements); the last worker `slowLast` × slower.
    static func tinyFiles(
        workers: Int,
        perItemPrior: Double,
        hold: Bool,
        estimate: Double = 0.0005,
        actual: Double = 0.0005,
        perItemCost: Double = 0.0033,
        slowLast: Double = 1,
        _ change: (inout SchedulerConfiguration) -> Void = { _ in }
    ) throws -> SimulationResult {
        let items = (0..<5000).map { EstimatedItem(WorkItem("tests/t\($0).py"), estimatedSeconds: estimate) }
        var configuration = SchedulerConfiguration()
        configuration.initialStartCost = 0.9
        configuration.initialPerItemCost = perItemPrior
        configuration.expectedWorkers = hold ? workers : 0
        change(&configuration)
        var setup = SimulationSetup(
            items: items,
            actualSeconds: Dictionary(uniqueKeysWithValues: items.map { ($0.item, actual) }),
            workers: (1...workers).map { number in
                SimulatedWorker(
                    id: WorkerID("w\(number)"),
                    speed: number == workers ? slowLast : 1,
                    joinsAt: 0.05 * Double(number)
                )
            },
            startCost: 0.9,
            perItemCost: perItemCost,
            configuration: configuration
        )
        setup.heartbeats = false
        var simulator = try SchedulerSimulator(setup)
        return simulator.run()
    }

    @Test func fiveThousandTinyFilesTakeAFewProcessStartsNotThousands() throws {
        let result = try Self.tinyFiles(workers: 2, perItemPrior: 0, hold: true)
        let oneProcess = 0.9 + 5000 * (0.0005 + 0.0033)
        #expect(result.summary.passed == 5000)
        #expect(result.shards <= 4)
        #expect(result.wall < 0.6 * oneProcess)
    }
}
