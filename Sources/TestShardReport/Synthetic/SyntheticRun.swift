import Foundation
import TestShardModel

/// A deterministic, realistic-looking run snapshot of any size, for benchmarks and size tests:
/// areas and categories, several workers (one lost midway), shards with retries, timeouts with
/// hang isolation, failures drawn from a mix of infrastructure, environment, config-drift and
/// product messages (with noise the normalizer must mask), collection errors, files never
/// scheduled, and 29 runs of history. The same parameters always give the same snapshot.
public enum SyntheticRun {
    /// - Parameters:
    ///   - files: expected files.
    ///   - testsPerFile: tests in each file.
    ///   - workers: workers (4 slots each); the last one is lost at 60% of the run.
    ///   - failureRate: share of tests whose first attempt fails.
    ///   - seed: changes every random choice.
    public static func snapshot(
        files fileCount: Int = 5_000,
        testsPerFile: Int = 10,
        workers workerCount: Int = 8,
        failureRate: Double = 0.03,
        seed: UInt64 = 1
    ) -> RunSnapshot {
        var random = SplitMix64(seed: seed)
        let start = 1_750_000_000.0
        let runId = "synthetic-\(seed)"
        let areaNames = ["payments", "chat", "auth", "search", "admin", "infra"]
        let categoryNames = ["unit", "integration", "api", "e2e"]
        let root = "/srv/ci/checkout"

        // Inventory.
        var expected: [ExpectedFile] = []
        for index in 0..<max(fileCount, 0) {
            let area = areaNames[index % areaNames.count]
            let category = categoryNames[(index / areaNames.count) % categoryNames.count]
            expected.append(
                ExpectedFile(
                    path: "tests/\(area)/\(category)/test_\(area)_\(index).py",
                    estimateSeconds: Double(1 + random.next(below: 20))
                )
            )
        }

        // Workers.
        let slotsPerWorker = 4
        let workerIds = (1...max(workerCount, 1)).map { "w\($0)" }
        let lostWorker = workerIds.count > 1 ? workerIds.last : nil

        // Shards: batches of up to 10 files pulled by the slot that frees first.
        var slotFree: [(worker: String, slot: Int, at: Double)] = workerIds.flatMap { worker in
            (0..<slotsPerWorker).map { (worker, $0, start) }
        }
        var shardAttempts: [ShardAttemptRecord] = []
        var testAttempts: [TestAttemptRecord] = []
        var itemStates: [ItemFinalState] = []
        var lostAt = start
        let scheduled = Int(Double(expected.count) * 0.996)
        let batches = stride(from: 0, to: scheduled, by: 10).map { Array(expected[$0..<min($0 + 10, scheduled)]) }
        // Tests take 1 s on average: the run lasts about files × tests / slots.
        let estimatedEnd = start + Double(scheduled * max(testsPerFile, 1)) * 1.1 / Double(slotFree.count)
        lostAt = start + (estimatedEnd - start) * 0.6

        func takeSlot(avoiding: String?) -> Int {
            var best = -1
            for (index, slot) in slotFree.enumerated() {
                if slot.worker == avoiding { continue }
                if slot.worker == lostWorker && slot.at >= lostAt { continue }
                if best < 0
                    || (slot.at, slot.worker, slot.slot) < (
                        slotFree[best].at, slotFree[best].worker, slotFree[best].slot
                    )
                {
                    best = index
                }
            }
            return max(best, 0)
        }

        func messageFor(file: ExpectedFile, fileIndex: Int, test: Int) -> (TestFailure, TestStatus) {
            let pick = random.next(below: 100)
            let n = random.next(below: 1000)
            switch pick {
            case 0..<12:
                return (
                    TestFailure(
                        message: "failed on setup with \"RuntimeError: Failed to start Docker services\"",
                        details:
                            "\(root)/tests/conftest.py:88: in docker_services\n    raise RuntimeError(\"Failed to start Docker services\")\nE   RuntimeError: Failed to start Docker services",
                        phase: .setup
                    ), .error
                )
            case 12..<18:
                return (
                    TestFailure(
                        message: "failed on setup with \"no such service: backend\"",
                        details: "compose: no such service: backend",
                        phase: .setup
                    ), .error
                )
            case 18..<26:
                return (
                    TestFailure(
                        message:
                            "AttributeError: 'RealWebSocketTestConfig' object has no attribute 'docker_startup_timeout'",
                        details:
                            "    def test_ws_\(test)(config):\n>       timeout = config.docker_startup_timeout\nE       AttributeError: 'RealWebSocketTestConfig' object has no attribute 'docker_startup_timeout'\n\n\(file.path):\(10 + test): AttributeError",
                        phase: .call
                    ), .failed
                )
            case 26..<36:
                return (
                    TestFailure(
                        message:
                            "TimeoutError: service backend not healthy after \(n / 10).\(n % 10)s (attempt \(1 + n % 9)/10)",
                        phase: .call
                    ), .failed
                )
            case 36..<44:
                return (
                    TestFailure(
                        message:
                            "ConnectionRefusedError: [Errno 111] Connect call failed ('10.0.\(n % 200).\(n % 50)', \(8000 + n))",
                        phase: .call
                    ), .failed
                )
            case 44..<48:
                return (
                    TestFailure(
                        message: "KeyError: 'session_\(String(n * 7919 + 1_000_000, radix: 16))'",
                        phase: .call
                    ), .failed
                )
            default:
                // Product assertions: one kind per file group, so there are many clusters.
                let field = ["count", "total", "status", "items", "owner", "price", "title", "etag"][fileIndex % 8]
                let group = fileIndex % 97
                return (
                    TestFailure(
                        message: "assert response.json()['\(field)_\(group)'] == \(n)",
                        details:
                            "    def test_case_\(test)(client):\n        response = client.get('/api/v1/items/\(n)')\n>       assert response.json()['\(field)_\(group)'] == \(n)\nE       assert \(n + 1) == \(n)\n\n\(file.path):\(20 + test): AssertionError",
                        phase: .call
                    ), .failed
                )
            }
        }

        var fileNumber: [String: Int] = [:]
        for (index, file) in expected.enumerated() { fileNumber[file.path] = index }
        func runShard(id: String, attempt: Int, slotIndex: Int, items: [ExpectedFile], argv: [String]) {
            let slot = slotFree[slotIndex]
            var clock = slot.at + 0.9
            var failed = false
            var retries: [(TestCaseResult, Bool)] = []
            for file in items {
                let index = fileNumber[file.path] ?? 0
                let collectionError = index % 1_250 == 7
                if collectionError {
                    testAttempts.append(
                        TestAttemptRecord(
                            result: TestCaseResult(
                                id: file.path,
                                file: file.path,
                                classname: "",
                                name: file.path,
                                status: .error,
                                duration: 0,
                                failure: TestFailure(
                                    message: "collection failure",
                                    details:
                                        "ImportError while importing test module '\(root)/\(file.path)'.\nE   ModuleNotFoundError: No module named 'grpc_tools'"
                                )
                            ),
                            shardId: id,
                            shardAttempt: attempt,
                            workerId: slot.worker
                        )
                    )
                    failed = true
                    itemStates.append(
                        ItemFinalState(item: WorkItem(file.path), outcome: .failed, shardId: id, shardAttempt: attempt)
                    )
                    continue
                }
                var fileOutcome = ItemOutcome.passed
                for test in 0..<testsPerFile {
                    let duration = Double(random.next(below: 2000)) / 1000
                    clock += duration
                    let testId = "\(file.path)::test_case_\(test)"
                    var result = TestCaseResult(
                        id: testId,
                        file: file.path,
                        classname: file.path.replacingOccurrences(of: "/", with: ".").replacingOccurrences(
                            of: ".py",
                            with: ""
                        ),
                        name: "test_case_\(test)",
                        status: .passed,
                        duration: duration
                    )
                    if random.nextDouble() < failureRate {
                        let (failure, status) = messageFor(file: file, fileIndex: index, test: test)
                        result.status = status
                        result.failure = failure
                        failed = true
                        let passesOnRetry = random.next(below: 100) < 35
                        retries.append((result, passesOnRetry))
                        fileOutcome = passesOnRetry && fileOutcome != .failed ? .flaky : .failed
                    } else if random.next(below: 50) == 0 {
                        result.status = .skipped
                        result.skipReason = "needs GPU"
                    }
                    testAttempts.append(
                        TestAttemptRecord(result: result, shardId: id, shardAttempt: attempt, workerId: slot.worker)
                    )
                }
                itemStates.append(
                    ItemFinalState(item: WorkItem(file.path), outcome: fileOutcome, shardId: id, shardAttempt: attempt)
                )
            }
            shardAttempts.append(
                ShardAttemptRecord(
                    shardId: id,
                    attempt: attempt,
                    workerId: slot.worker,
                    slot: slot.slot,
                    items: items.map { WorkItem($0.path) },
                    argv: argv,
                    startedAt: slot.at,
                    endedAt: clock,
                    exit: ShardExit(kind: failed ? .testsFailed : .ok, code: failed ? 1 : 0),
                    timeoutSeconds: 120,
                    logTail: ["\(items.count * testsPerFile) tests in \(Int(clock - slot.at))s"]
                )
            )
            slotFree[slotIndex].at = clock
            // Retries of failed tests, on another worker when possible.
            guard !retries.isEmpty else { return }
            let retrySlotIndex = takeSlot(avoiding: slot.worker)
            let retrySlot = slotFree[retrySlotIndex]
            let retryId = id + "-r"
            var retryClock = retrySlot.at + 0.9
            var retryFailed = false
            for (original, passes) in retries {
                var result = original
                result.duration = max(original.duration, 0.05)
                retryClock += result.duration
                if passes {
                    result.status = .passed
                    result.failure = nil
                } else {
                    retryFailed = true
                }
                testAttempts.append(
                    TestAttemptRecord(
                        result: result,
                        shardId: retryId,
                        shardAttempt: 1,
                        retryIndex: 1,
                        workerId: retrySlot.worker
                    )
                )
            }
            shardAttempts.append(
                ShardAttemptRecord(
                    shardId: retryId,
                    attempt: 1,
                    workerId: retrySlot.worker,
                    slot: retrySlot.slot,
                    items: retries.map { WorkItem($0.0.id) },
                    argv: Array(argv.prefix(7)) + retries.map(\.0.id),
                    startedAt: retrySlot.at,
                    endedAt: retryClock,
                    exit: ShardExit(kind: retryFailed ? .testsFailed : .ok, code: retryFailed ? 1 : 0),
                    timeoutSeconds: 120
                )
            )
            slotFree[retrySlotIndex].at = retryClock
        }

        var shardNumber = 0
        for batch in batches {
            shardNumber += 1
            let shardId = "s\(shardNumber)"
            let slotIndex = takeSlot(avoiding: nil)
            let slot = slotFree[slotIndex]
            let duration = Double(batch.count * max(testsPerFile, 1)) * (0.8 + Double(random.next(below: 40)) / 100)
            let argv =
                ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=/tmp/ts/\(shardId).xml"]
                + batch.map(\.path)
            let hang = random.next(below: 100) == 0
            let lost = slot.worker == lostWorker && slot.at + duration > lostAt
            if lost || hang {
                // The attempt dies; its items go back and run again elsewhere (the hang alone).
                let end = lost ? lostAt : slot.at + 120
                shardAttempts.append(
                    ShardAttemptRecord(
                        shardId: shardId,
                        attempt: 1,
                        workerId: slot.worker,
                        slot: slot.slot,
                        items: batch.map { WorkItem($0.path) },
                        argv: argv,
                        startedAt: slot.at,
                        endedAt: end,
                        exit: lost
                            ? ShardExit(kind: .lost, reason: "worker \(slot.worker) lost: heartbeat timeout")
                            : ShardExit(kind: .timeout, signal: 9, reason: "killed after 120s"),
                        timeoutSeconds: 120,
                        logTail: lost
                            ? []
                            : ["tests/x.py ....", "[gw0] 02:14:05 INFO - Waiting for service backend… (pid 4242)"],
                        resultFile: .missing
                    )
                )
                slotFree[slotIndex].at = end
                if hang, let culprit = batch.last {
                    let retrySlot = takeSlot(avoiding: slot.worker)
                    let again = slotFree[retrySlot]
                    shardAttempts.append(
                        ShardAttemptRecord(
                            shardId: shardId + "-h",
                            attempt: 1,
                            workerId: again.worker,
                            slot: again.slot,
                            items: [WorkItem(culprit.path)],
                            argv: Array(argv.prefix(7)) + [culprit.path],
                            startedAt: again.at,
                            endedAt: again.at + 120,
                            exit: ShardExit(kind: .timeout, signal: 9, reason: "killed after 120s"),
                            timeoutSeconds: 120,
                            logTail: [
                                "\(culprit.path)::test_0 ",
                                "[gw0] 02:16:40 INFO - Waiting for service backend… (pid 5150)",
                            ],
                            resultFile: .missing
                        )
                    )
                    slotFree[retrySlot].at = again.at + 120
                    itemStates.append(
                        ItemFinalState(
                            item: WorkItem(culprit.path),
                            outcome: .timeout,
                            shardId: shardId + "-h",
                            shardAttempt: 1
                        )
                    )
                }
                let rerunItems = hang ? Array(batch.dropLast()) : batch
                guard !rerunItems.isEmpty else { continue }
                let retrySlot = takeSlot(avoiding: slot.worker)
                runShard(
                    id: shardId,
                    attempt: 2,
                    slotIndex: retrySlot,
                    items: rerunItems,
                    argv: Array(argv.prefix(7)) + rerunItems.map(\.path)
                )
            } else {
                runShard(id: shardId, attempt: 1, slotIndex: slotIndex, items: batch, argv: argv)
            }
        }

        // The tail of the inventory was never handed out; two files fail collection before any shard.
        for file in expected[scheduled...] {
            itemStates.append(
                ItemFinalState(
                    item: WorkItem(file.path),
                    outcome: .notRun,
                    reason: .neverScheduled,
                    estimateSeconds: file.estimateSeconds
                )
            )
        }
        if scheduled > 3 {
            for file in [expected[1], expected[3]] {
                itemStates.removeAll { $0.item.id == file.path }
                testAttempts.removeAll { $0.result.file == file.path }
                itemStates.append(
                    ItemFinalState(
                        item: WorkItem(file.path),
                        outcome: .notRun,
                        reason: .collectionError,
                        detail:
                            "SyntaxError: invalid syntax (\(file.path.split(separator: "/").last ?? ""), line \(12 + random.next(below: 9)))"
                    )
                )
            }
        }

        let end = max(slotFree.map(\.at).max() ?? start, start + 1)
        let workers = workerIds.map { id in
            WorkerRecord(
                id: id,
                host: "ci-\(id)",
                slots: slotsPerWorker,
                joinedAt: start,
                leftAt: id == lostWorker ? lostAt : nil,
                lost: id == lostWorker,
                lostReason: id == lostWorker ? "heartbeat timeout" : nil
            )
        }
        let run = RunMeta(
            id: runId,
            suite: "synthetic",
            revision: String(format: "%016llx", seed &* 0x9E37_79B9_7F4A_7C15),
            branch: "main",
            startedAt: start,
            endedAt: end
        )
        let configuration = ReportConfiguration(
            repoRoots: [root],
            areas: areaNames.enumerated().map { index, name in
                AreaDefinition(
                    id: name,
                    criticality: index < 2 ? .critical : index < 3 ? .high : .normal,
                    owner: "team-\(name)",
                    globs: ["tests/\(name)/**"]
                )
            },
            categories: categoryNames.map { CategoryDefinition(id: $0, globs: ["tests/*/\($0)/**"]) },
            triageRules: [
                TriageRule(
                    id: "env.backend_health",
                    category: .environment,
                    message: "service backend not healthy",
                    action: "The backend container does not become healthy: check its logs on the worker"
                )
            ],
            quarantine: [
                QuarantineEntry(
                    id: expected.count > 12 ? expected[12].path : "tests/none.py",
                    reason: "flaky websocket",
                    expires: "2099-01-01"
                ),
                QuarantineEntry(id: "tests/old/test_gone.py", reason: "old bug", expires: "2020-01-01"),
            ],
            retries: 1,
            shardTimeoutSeconds: 120
        )
        let snapshot = RunSnapshot(
            run: run,
            configuration: configuration,
            expectedFiles: expected,
            workers: workers,
            shardAttempts: shardAttempts,
            testAttempts: testAttempts,
            itemStates: itemStates,
            history: RunHistory()
        )
        return withHistory(snapshot, random: &random)
    }

    /// 29 earlier runs: the failing tests of this run with a mix of histories (long-failing,
    /// flaky, new), and half of this run's signatures seen before.
    private static func withHistory(_ snapshot: RunSnapshot, random: inout SplitMix64) -> RunSnapshot {
        var snapshot = snapshot
        let runs = (1...29).map { age in
            HistoricalRun(id: "synthetic-prev-\(age)", startedAt: snapshot.run.startedAt - Double(age) * 86_400)
        }
        var failing = Set<String>()
        for attempt in snapshot.testAttempts where attempt.result.status.isFailure { failing.insert(attempt.result.id) }
        var tests: [TestHistory] = []
        for id in failing.sorted() {
            let kind = random.next(below: 4)
            let records = runs.enumerated().map { age, run -> TestRunRecord in
                let attempts: [TestStatus]
                switch kind {
                case 0: attempts = age < 4 ? [.failed, .failed] : [.passed]
                case 1: attempts = random.next(below: 5) == 0 ? [.failed, .passed] : [.passed]
                case 2: attempts = age % 7 == 3 ? [.failed, .failed] : [.passed]
                default: attempts = [.passed]
                }
                return TestRunRecord(runId: run.id, attempts: attempts)
            }
            tests.append(TestHistory(id: id, runs: records))
        }
        // A few tests that failed last time and pass now: FIXED.
        var passing: [String] = []
        for attempt in snapshot.testAttempts
        where attempt.result.status == .passed && !failing.contains(attempt.result.id) {
            passing.append(attempt.result.id)
            if passing.count >= 25 { break }
        }
        for id in passing {
            tests.append(
                TestHistory(
                    id: id,
                    runs: runs.enumerated().map { age, run in
                        TestRunRecord(runId: run.id, attempts: age == 0 ? [.failed, .failed] : [.passed])
                    }
                )
            )
        }
        let built = ReportBuilder.build(snapshot)
        let seen = built.clusters.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        snapshot.history = RunHistory(
            runs: runs,
            previousRun: PreviousRunSummary(
                id: runs[0].id,
                startedAt: runs[0].startedAt,
                counts: FileCounts(
                    files: built.summary.files.files,
                    passed: built.summary.files.passed + 20,
                    failed: max(built.summary.files.failed - 15, 0),
                    flaky: built.summary.files.flaky,
                    skipped: built.summary.files.skipped,
                    quarantinedFailed: 0,
                    notRun: max(built.summary.files.notRun - 5, 0)
                ),
                clusterIds: seen.map(\.id) + ["r1:00000000000000000000000000000000"],
                files: snapshot.expectedFiles.map(\.path).dropLast(3) + ["tests/removed/test_removed.py"]
            ),
            tests: tests,
            clusters: seen.map { cluster in
                ClusterHistory(
                    id: cluster.id,
                    title: cluster.normalized,
                    firstSeenRunId: runs[3].id,
                    firstSeenAt: runs[3].startedAt,
                    lastSeenRunId: runs[0].id,
                    lastSeenAt: runs[0].startedAt,
                    streakRuns: 4,
                    streakSinceRunId: runs[3].id,
                    lastFiles: Array(cluster.files.prefix(5))
                )
            } + [
                ClusterHistory(
                    id: "r1:00000000000000000000000000000000",
                    title: "OSError: [Errno 28] No space left on device",
                    firstSeenRunId: runs[1].id,
                    firstSeenAt: runs[1].startedAt,
                    lastSeenRunId: runs[0].id,
                    lastSeenAt: runs[0].startedAt,
                    streakRuns: 2,
                    lastFiles: ["tests/infra/unit/test_infra_5.py"]
                )
            ],
            notes: seen.first.map { [$0.id: "Seen since the runner image update; ask infra."] } ?? [:]
        )
        return snapshot
    }
}
