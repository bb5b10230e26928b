import TestShardModel
import TestShardScheduler
import Testing

/// Random interleavings of joins, deaths, heartbeats, timeouts, crashes, refusals, late, duplicate and
/// foreign results over random items, then a calm phase with one reliable worker. Whatever happened,
/// the run finishes, every item gets exactly one final state, and no result is counted twice.
@Suite struct SchedulerPropertyTests {
    /// What one chaotic run produced.
    struct Outcome {
        var actions: [SchedulerAction] = []
        var items: [WorkItem] = []
        /// Lease → the worker it was handed to.
        var handedTo: [LeaseKey: WorkerID] = [:]
        /// Results accepted although another worker than the lease's sent them.
        var acceptedFromStrangers: [LeaseKey] = []
    }

    // A small random world: up to six workers, a handful of shards in flight, any outcome.
    struct World {
        var random: SeededGenerator
        var machine: SchedulerStateMachine
        var now = 0.0
        var connected: Set<WorkerID> = []
        /// Connected as far as the scheduler knows, but sending nothing (a silent death or partition).
        var silent: Set<WorkerID> = []
        var outstanding: [(worker: WorkerID, assignment: ShardAssignment)] = []
        /// Shards whose lease the scheduler ended (cancelled, worker lost) that may still report late.
        var stale: [(worker: WorkerID, assignment: ShardAssignment)] = []
        var sentReports: [(worker: WorkerID, lease: LeaseKey, report: ShardReport)] = []
        var outcome = Outcome()

        mutating func record(_ actions: [SchedulerAction]) {
            outcome.actions += actions
            for (worker, assignment) in actions.assignments {
                outcome.handedTo[assignment.lease] = worker
                outstanding.append((worker, assignment))
            }
            for cancel in actions.cancels {
                stale += outstanding.filter { $0.assignment.lease == cancel.lease }
                outstanding.removeAll { $0.assignment.lease == cancel.lease }
            }
        }

        /// Sends a result and notes whether it was accepted from someone other than the lease holder.
        mutating func send(_ worker: WorkerID, _ lease: LeaseKey, _ report: ShardReport) {
            let actions = machine.shardResultReceived(worker, lease: lease, report: report, now: now)
            if actions.accepted.contains(where: { $0.lease == lease }), outcome.handedTo[lease] != worker {
                outcome.acceptedFromStrangers.append(lease)
            }
            record(actions)
        }

        mutating func pick<T>(_ values: [T]) -> T? {
            values.isEmpty ? nil : values[Int.random(in: 0..<values.count, using: &random)]
        }

        mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &random) < probability }

        /// A random report for `assignment`: any mix of passes, failures, missing items, hangs, crashes.
        mutating func randomReport(for assignment: ShardAssignment) -> ShardReport {
            let items = assignment.items
            let kind = pick([
                ShardExitKind.ok, .ok, .ok, .testsFailed, .timeout, .crash, .noResults, .refused, .cancelled,
            ])!
            var tests: [TestCaseResult] = []
            var withoutTests: [WorkItem] = []
            let cut = Int.random(in: 0...items.count, using: &random)
            for (offset, item) in items.enumerated() {
                if !kind.isCompleteRun && offset >= cut { break }
                if kind.isCompleteRun && chance(0.05) { continue }  // missing from a "complete" run
                if chance(0.05) {
                    withoutTests.append(item)
                    continue
                }
                let id = item.isWholeFile ? item.id + "::test_\(Int.random(in: 0..<2, using: &random))" : item.id
                let status = pick([TestStatus.passed, .passed, .passed, .failed, .error, .skipped])!
                tests.append(testResult(id, status, duration: Double.random(in: 0..<5, using: &random)))
                if chance(0.1) { tests.append(testResult(id + "[p]", .passed)) }
            }
            let lastStarted = !kind.isCompleteRun && cut < items.count && chance(0.6) ? items[cut] : nil
            return ShardReport(
                tests: tests,
                itemsWithoutResults: chance(0.1) ? Array(items.prefix(1)) : [],
                itemsWithoutTests: withoutTests,
                lastStartedItem: lastStarted,
                exit: ShardExit(kind: kind, reason: "\(kind)"),
                wallSeconds: chance(0.5) ? Double.random(in: 0..<100, using: &random) : nil
            )
        }

        /// One random event.
        mutating func step(workers: [WorkerID]) {
            now += Double.random(in: 0..<15, using: &random)
            let speaking = connected.subtracting(silent).sorted()
            switch Int.random(in: 0..<14, using: &random) {
            case 0, 1:
                let worker = pick(workers)!
                connected.insert(worker)
                silent.remove(worker)
                record(machine.workerJoined(worker, slots: Int.random(in: 1...3, using: &random), now: now))
            case 2:
                guard let worker = pick(connected.sorted()) else { return }
                connected.remove(worker)
                silent.remove(worker)
                stale += outstanding.filter { $0.worker == worker }
                outstanding.removeAll { $0.worker == worker }
                record(machine.workerLost(worker, now: now))
            case 3:
                guard let worker = pick(speaking) else { return }
                if chance(0.5) { silent.insert(worker) } else { record(machine.workerDraining(worker, now: now)) }
            case 4, 5:
                guard let worker = pick(speaking) else { return }
                var running = outstanding.filter { $0.worker == worker }.map { RunningShard($0.assignment.lease) }
                if chance(0.2) { running.append(RunningShard(LeaseKey(shard: ShardID(number: 9999), attempt: 1))) }
                record(machine.heartbeatReceived(worker, running: running, now: now))
            case 6, 7, 8:
                let mine = outstanding.indices.filter { speaking.contains(outstanding[$0].worker) }
                guard let index = pick(mine) else { return }
                let (worker, assignment) = outstanding.remove(at: index)
                let report = randomReport(for: assignment)
                sentReports.append((worker, assignment.lease, report))
                send(worker, assignment.lease, report)
            case 9:
                if chance(0.5), let late = pick(stale) {
                    let result = report(late.assignment.items)
                    send(late.worker, late.assignment.lease, result)
                } else if let old = pick(sentReports) {
                    send(old.worker, old.lease, old.report)
                }
            case 10:
                guard let entry = pick(outstanding), let other = pick(workers), other != entry.worker else { return }
                send(other, entry.assignment.lease, report(entry.assignment.items))
            case 11:
                guard let (worker, assignment) = pick(outstanding).map({ ($0.worker, $0.assignment) }),
                    speaking.contains(worker)
                else { return }
                if chance(0.5) {
                    record(machine.shardStarted(worker, lease: assignment.lease, command: ["pytest"], now: now))
                } else {
                    outstanding.removeAll { $0.assignment.lease == assignment.lease }
                    record(
                        machine.shardRefused(
                            worker,
                            lease: assignment.lease,
                            reason: "no",
                            items: Array(assignment.items.prefix(1)),
                            now: now
                        )
                    )
                }
            case 12:
                if chance(0.05) {
                    record(machine.stop(reason: .cancelled, grace: chance(0.5) ? 30 : nil, now: now))
                } else {
                    record(machine.tick(now: now))
                }
            default:
                // Sometimes from a worker that is not connected at all.
                guard let worker = chance(0.2) ? pick(workers) : pick(speaking) else { return }
                record(machine.workRequested(worker, now: now))
            }
        }

        /// One reliable worker joins; everyone who still speaks answers with clean passes until the end.
        mutating func calm() {
            connected.insert("calm")
            silent.remove("calm")
            record(machine.workerJoined("calm", slots: 2, now: now))
            var rounds = 0
            while !machine.isFinished && rounds < 20_000 {
                rounds += 1
                now += 1
                let speaking = connected.subtracting(silent)
                if let index = outstanding.firstIndex(where: { speaking.contains($0.worker) }) {
                    let (worker, assignment) = outstanding.remove(at: index)
                    send(worker, assignment.lease, report(assignment.items))
                    continue
                }
                for worker in speaking.sorted() {
                    let running = outstanding.filter { $0.worker == worker }.map { RunningShard($0.assignment.lease) }
                    record(machine.heartbeatReceived(worker, running: running, now: now))
                }
                now += 4
                record(machine.tick(now: now))
            }
        }
    }

    static func chaoticRun(seed: UInt64) throws -> Outcome {
        var random = SeededGenerator(seed: seed)
        var configuration = SchedulerConfiguration()
        configuration.heartbeatInterval = 5
        configuration.leaseTimeout = Double.random(in: 10...60, using: &random)
        configuration.shardTimeout = Double.random(in: 60...600, using: &random)
        configuration.hardStopGrace = 10
        configuration.retries = Int.random(in: 0...2, using: &random)
        configuration.maxRetriedTests = Int.random(in: 0...20, using: &random)
        configuration.retryPreferenceWait = Double.random(in: 0...30, using: &random)
        configuration.maxLostRequeues = Int.random(in: 1...3, using: &random)
        configuration.maxIsolationRounds = Int.random(in: 1...3, using: &random)
        configuration.batchFactor = Double.random(in: 0.2...4, using: &random)
        configuration.initialStartCost = Double.random(in: 0...2, using: &random)
        configuration.expectedWorkers = Int.random(in: 0...2, using: &random)
        configuration.deadline = Bool.random(using: &random) ? Double.random(in: 100...2000, using: &random) : nil
        configuration.noWorkersTimeout = Bool.random(using: &random) ? 300 : nil

        var items: [EstimatedItem] = []
        for number in 0..<Int.random(in: 1...30, using: &random) {
            let name = Bool.random(using: &random) ? "t\(number).py" : "t\(number % 5).py::test_\(number)"
            items.append(EstimatedItem(WorkItem(name), estimatedSeconds: Double.random(in: -1...50, using: &random)))
        }
        let machine = try SchedulerStateMachine(items: items, configuration: configuration)
        var world = World(random: random, machine: machine)
        world.outcome.items = Array(Set(items.map(\.item))).sorted()
        let workers = (0..<6).map { WorkerID("w\($0)") }
        for _ in 0..<Int.random(in: 50...400, using: &world.random) { world.step(workers: workers) }
        world.calm()
        return world.outcome
    }

    @Test func everyRunFinishesWithOneFinalStatePerItemAndNothingCountedTwice() throws {
        var seen: Set<String> = []
        for seed in UInt64(1)...300 {
            let outcome = try Self.chaoticRun(seed: seed)
            let actions = outcome.actions
            for final in actions.finals { seen.insert("final \(final.state)") }
            for discard in actions.discards { seen.insert("discard \(discard.reason)") }
            for requeue in actions.requeues { seen.insert("requeue \(requeue.reason)") }
            for record in actions.ended { seen.insert("ended \(record.disposition.rawValue)") }

            // The run finished, exactly once, and nothing was handed out afterwards.
            let finishes = actions.indices.filter { if case .runFinished = actions[$0] { true } else { false } }
            try #require(finishes.count == 1, "seed \(seed): runFinished \(finishes.count) times")
            #expect(Array(actions[finishes[0]...]).assignments.isEmpty, "seed \(seed): work handed out after the end")

            // Every item exactly one final state.
            let finals = actions.finals.map(\.item)
            #expect(
                finals.count == outcome.items.count,
                "seed \(seed): \(finals.count) finals for \(outcome.items.count) items"
            )
            #expect(Set(finals) == Set(outcome.items), "seed \(seed): final items differ from the run's items")
            let summary = try #require(actions.summary)
            let counted =
                summary.passed + summary.failed + summary.flaky + summary.skipped + summary.noTests
                + summary.timeout + summary.crashed + summary.noResults + summary.lost + summary.notRun
            #expect(counted == outcome.items.count, "seed \(seed): summary counts \(counted)")

            // No lease accepted twice, only from the worker it was handed to, and no test attempt twice.
            let accepted = actions.accepted
            #expect(Set(accepted.map(\.lease)).count == accepted.count, "seed \(seed): a lease accepted twice")
            #expect(outcome.acceptedFromStrangers.isEmpty, "seed \(seed): accepted from a stranger")
            var attempts: [String: Int] = [:]
            for test in accepted.flatMap(\.tests) {
                attempts["\(test.item)|\(test.result.id)|\(test.attempt)", default: 0] += 1
            }
            let repeated = attempts.filter { $0.value > 1 }.map(\.key)
            #expect(repeated.isEmpty, "seed \(seed): counted twice: \(repeated.sorted().prefix(3))")

            // Every hand-out is a new lease.
            let leases = actions.assignments.map(\.assignment.lease)
            #expect(Set(leases).count == leases.count, "seed \(seed): a lease handed out twice")
        }
        // The runs did go through the paths that matter (otherwise this test proves little).
        for path in [
            "final timeout", "final crashed", "final lost", "final flaky", "final failed", "final no tests",
            "final not run (refused: no)", "final not run (cancelled)", "final not run (deadline)",
            "discard duplicate: this attempt's result was already accepted", "discard unknown worker",
            "discard late: the lease already ended (lease_expired)",
            "discard late: the lease already ended (worker_lost)",
            "discard no such shard attempt was handed out", "discard the lease belongs to worker w0",
            "requeue isolation: bisect", "requeue isolation: suspect runs alone", "requeue lease expired",
            "requeue worker lost", "ended hard_stopped", "ended cancelled",
        ] {
            #expect(seen.contains(path), "no run went through: \(path)")
        }
    }

    @Test func theSameEventsGiveTheSameActions() throws {
        for seed in UInt64(1)...20 {
            #expect(try Self.chaoticRun(seed: seed).actions == Self.chaoticRun(seed: seed).actions, "seed \(seed)")
        }
    }
}
