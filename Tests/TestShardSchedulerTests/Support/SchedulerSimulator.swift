import Foundation
import TestShardModel
import TestShardScheduler

/// The deterministic generator every simulated run draws from, so it repeats exactly.
typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    /// A standard normal sample (Box–Muller).
    mutating func normal() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// A lognormal factor with median 1: `exp(σ·N(0,1))`.
    mutating func lognormal(sigma: Double) -> Double { exp(sigma * normal()) }
}

/// A worker in the simulated world.
struct SimulatedWorker {
    var id: WorkerID
    var slots = 1
    /// Time multiplier: 1.5 runs everything 1.5× longer.
    var speed = 1.0
    var joinsAt = 0.0
    /// When the worker dies, if it does.
    var diesAt: Double?
    /// A silent death: no connection loss is seen, only missing heartbeats.
    var silentDeath = false
    /// Rejoins (same id) this long after dying.
    var rejoinsAfter: Double?
}

/// Everything a simulated run depends on. Durations are parameters; nothing is measured.
struct SimulationSetup {
    var items: [EstimatedItem]
    /// Real seconds each item takes on a speed-1 worker (the estimates are what the scheduler sees).
    var actualSeconds: [WorkItem: Double]
    var workers: [SimulatedWorker]
    /// Per-shard process start on a speed-1 worker.
    var startCost: Double
    /// Per-item overhead in a shard (argument handling, collection) on a speed-1 worker.
    var perItemCost = 0.0
    var configuration: SchedulerConfiguration
    /// Whether workers send heartbeats (needed when leases may expire; off for pure scheduling runs).
    var heartbeats = true
    /// Items whose shard hangs until the worker kills it at the timeout.
    var hangs: Set<WorkItem> = []
    /// Whether a worker says which item it was on when a shard times out.
    var reportsProgress = true
    /// The status of an item's test on its file's `attempt`-th run (1-based) on a worker.
    var status: @Sendable (_ item: WorkItem, _ attempt: Int, _ worker: WorkerID) -> TestStatus = { _, _, _ in .passed }
}

/// What a simulated run produced.
struct SimulationResult {
    var wall: Double
    var summary: RunSummary
    var finals: [WorkItem: [ItemFinalState]]
    var shards: Int
    var learnedStartCost: Double
    var events: Int
    var acceptedTestResults: [String: Int]
    var actions: [SchedulerAction]
}

/// A discrete-event simulation that drives the state machine with virtual time: workers with speeds,
/// a start cost per shard, actual durations that differ from the estimates, deaths and hangs.
struct SchedulerSimulator {
    private enum Event {
        case join(Int)
        case death(Int)
        case heartbeat(Int, generation: Int)
        case result(Int, generation: Int, LeaseKey, ShardReport)
        case tick
    }

    private struct Scheduled {
        let time: Double
        let sequence: Int
        let event: Event
    }

    private struct WorldWorker {
        var spec: SimulatedWorker
        var alive = false
        var generation = 0
        var running: Set<LeaseKey> = []
    }

    private var setup: SimulationSetup
    private var machine: SchedulerStateMachine
    private var heap: [Scheduled] = []
    private var sequence = 0
    private var world: [WorldWorker]
    private var nextTickAt: Double?
    private var itemRuns: [WorkItem: Int] = [:]
    private var result = SimulationResult(
        wall: 0,
        summary: RunSummary(),
        finals: [:],
        shards: 0,
        learnedStartCost: 0,
        events: 0,
        acceptedTestResults: [:],
        actions: []
    )
    private let keepActions: Bool

    init(_ setup: SimulationSetup, keepActions: Bool = false) throws {
        self.setup = setup
        self.keepActions = keepActions
        machine = try SchedulerStateMachine(items: setup.items, configuration: setup.configuration)
        world = setup.workers.map { WorldWorker(spec: $0) }
    }

    /// Runs until `runFinished` (or `maxEvents`, which a correct scheduler never reaches).
    mutating func run(maxEvents: Int = 5_000_000) -> SimulationResult {
        apply(machine.start(now: 0), now: 0)
        for index in world.indices {
            push(world[index].spec.joinsAt, .join(index))
            if let diesAt = world[index].spec.diesAt { push(diesAt, .death(index)) }
        }
        while !machine.isFinished, result.events < maxEvents, let next = pop() {
            result.events += 1
            let now = next.time
            switch next.event {
            case .join(let index):
                world[index].alive = true
                world[index].running = []
                if setup.heartbeats {
                    push(
                        now + setup.configuration.heartbeatInterval,
                        .heartbeat(index, generation: world[index].generation)
                    )
                }
                apply(machine.workerJoined(world[index].spec.id, slots: world[index].spec.slots, now: now), now: now)
            case .death(let index):
                guard world[index].alive else { break }
                world[index].alive = false
                world[index].generation += 1
                world[index].running = []
                if !world[index].spec.silentDeath {
                    apply(machine.workerLost(world[index].spec.id, now: now), now: now)
                }
                if let after = world[index].spec.rejoinsAfter { push(now + after, .join(index)) }
            case .heartbeat(let index, let generation):
                guard world[index].alive, world[index].generation == generation else { break }
                let running = world[index].running.sorted().map { RunningShard($0) }
                apply(machine.heartbeatReceived(world[index].spec.id, running: running, now: now), now: now)
                push(now + setup.configuration.heartbeatInterval, .heartbeat(index, generation: generation))
            case .result(let index, let generation, let lease, let report):
                guard world[index].alive, world[index].generation == generation,
                    world[index].running.remove(lease) != nil
                else { break }
                apply(
                    machine.shardResultReceived(world[index].spec.id, lease: lease, report: report, now: now),
                    now: now
                )
            case .tick:
                guard nextTickAt == now else { break }
                nextTickAt = nil
                apply(machine.tick(now: now), now: now)
            }
            scheduleTick(now: now)
        }
        result.learnedStartCost = machine.snapshot(now: result.wall).startCostSeconds
        return result
    }

    private mutating func scheduleTick(now: Double) {
        guard !machine.isFinished, let due = machine.nextTimerDeadline(now: now) else { return }
        let at = max(due, now)
        if let pending = nextTickAt, pending <= at { return }
        nextTickAt = at
        push(at, .tick)
    }

    private mutating func apply(_ actions: [SchedulerAction], now: Double) {
        if keepActions { result.actions += actions }
        for action in actions {
            switch action {
            case .assign(let worker, let assignment):
                result.shards += 1
                guard let index = world.firstIndex(where: { $0.spec.id == worker }), world[index].alive else {
                    continue
                }
                world[index].running.insert(assignment.lease)
                let (duration, report) = run(assignment, on: world[index].spec)
                push(now + duration, .result(index, generation: world[index].generation, assignment.lease, report))
            case .cancel(let worker, let lease, _):
                if let index = world.firstIndex(where: { $0.spec.id == worker }) { world[index].running.remove(lease) }
            case .recordAccepted(let record):
                for test in record.tests {
                    result.acceptedTestResults["\(test.result.id)#\(test.attempt)", default: 0] += 1
                }
            case .itemFinal(let final):
                result.finals[final.item, default: []].append(final.state)
            case .runFinished(let summary):
                result.summary = summary
                result.wall = now
            case .discard, .recordShardEnded, .itemsRequeued, .testRetryScheduled, .notice:
                break
            }
        }
    }

    /// How long the worker takes and what it reports.
    private mutating func run(_ assignment: ShardAssignment, on worker: SimulatedWorker) -> (Double, ShardReport) {
        if let hanging = assignment.items.first(where: { setup.hangs.contains($0) }) {
            return (
                assignment.timeout,
                ShardReport(
                    tests: [],
                    lastStartedItem: setup.reportsProgress ? hanging : nil,
                    exit: ShardExit(kind: .timeout, reason: "timeout")
                )
            )
        }
        var seconds = worker.speed * (setup.startCost + setup.perItemCost * Double(assignment.items.count))
        var tests: [TestCaseResult] = []
        for item in assignment.items {
            let actual = setup.actualSeconds[item] ?? setup.actualSeconds[WorkItem(item.file)] ?? 1
            let duration = actual * worker.speed
            seconds += duration
            // Runs are counted per file, so a retry of a file's test is its second attempt.
            let file = WorkItem(item.file)
            itemRuns[file, default: 0] += 1
            let status = setup.status(item, itemRuns[file] ?? 1, worker.id)
            let id = item.isWholeFile ? item.id + "::test" : item.id
            tests.append(
                TestCaseResult(
                    id: id,
                    file: item.file,
                    classname: item.file,
                    name: "test",
                    status: status,
                    duration: duration
                )
            )
        }
        if seconds > assignment.timeout {
            return (assignment.timeout, ShardReport(tests: [], exit: ShardExit(kind: .timeout, reason: "timeout")))
        }
        let failed = tests.contains { $0.status.isFailure }
        return (
            seconds, ShardReport(tests: tests, exit: ShardExit(kind: failed ? .testsFailed : .ok), wallSeconds: seconds)
        )
    }

    // MARK: - Event heap (earliest time first, then insertion order)

    private mutating func push(_ time: Double, _ event: Event) {
        sequence += 1
        heap.append(Scheduled(time: time, sequence: sequence, event: event))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() -> Scheduled? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, Self.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, Self.before(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    private static func before(_ a: Scheduled, _ b: Scheduled) -> Bool {
        a.time < b.time || (a.time == b.time && a.sequence < b.sequence)
    }
}
