import TestShardModel

@testable import TestShardReport

/// Builds snapshots for the tests the way the coordinator would: a shard per group of files on a
/// worker, test attempts with pytest-shaped failures, item states from the scheduler.
struct SnapshotFixture {
    static let start = 1_750_000_000.0
    static let root = "/home/ci/suite"

    var runId = "run-2"
    var files: [String] = []
    var shards: [ShardAttemptRecord] = []
    var attempts: [TestAttemptRecord] = []
    var items: [ItemFinalState] = []
    var workers: [WorkerRecord] = [
        WorkerRecord(id: "w1", host: "ci-1", slots: 2, joinedAt: start),
        WorkerRecord(id: "w2", host: "ci-2", slots: 2, joinedAt: start),
    ]
    var configuration = ReportConfiguration(repoRoots: [root], retries: 1, shardTimeoutSeconds: 120)
    var history = RunHistory()
    var endReason = RunEndReason.completed
    var clock = start

    /// The worker command for `items`, as the template would expand it.
    static func argv(_ shard: String, _ items: [String]) -> [String] {
        ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=/tmp/ts/\(shard).xml"] + items
    }

    /// A shard that ran `tests` (file, test name, status, failure) to completion.
    mutating func shard(
        _ id: String,
        worker: String = "w1",
        slot: Int = 0,
        attempt: Int = 1,
        files shardFiles: [String],
        tests: [(String, String, TestStatus, TestFailure?)],
        retryIndex: Int = 0,
        exit: ShardExit? = nil,
        duration: Double = 10,
        logTail: [String] = [],
        accepted: Bool = true
    ) {
        for file in shardFiles where !files.contains(file) { files.append(file) }
        let failed = tests.contains { $0.2.isFailure }
        shards.append(
            ShardAttemptRecord(
                shardId: id,
                attempt: attempt,
                workerId: worker,
                slot: slot,
                items: shardFiles.map { WorkItem($0) },
                argv: Self.argv(id, shardFiles),
                startedAt: clock,
                endedAt: clock + duration,
                exit: exit ?? ShardExit(kind: failed ? .testsFailed : .ok, code: failed ? 1 : 0),
                timeoutSeconds: 120,
                logTail: logTail,
                resultFile: tests.isEmpty ? .missing : .ok,
                accepted: accepted
            )
        )
        for (file, name, status, failure) in tests {
            attempts.append(
                TestAttemptRecord(
                    result: TestCaseResult(
                        id: "\(file)::\(name)",
                        file: file,
                        classname: file,
                        name: name,
                        status: status,
                        duration: 1,
                        failure: failure
                    ),
                    shardId: id,
                    shardAttempt: attempt,
                    retryIndex: retryIndex,
                    workerId: worker
                )
            )
        }
        clock += duration
    }

    /// Records the scheduler's final state for a file.
    mutating func item(
        _ file: String,
        _ outcome: ItemOutcome,
        reason: NotRunReason? = nil,
        detail: String? = nil,
        shard: String? = nil
    ) {
        if !files.contains(file) { files.append(file) }
        items.append(
            ItemFinalState(
                item: WorkItem(file),
                outcome: outcome,
                reason: reason,
                detail: detail,
                shardId: shard,
                shardAttempt: 1
            )
        )
    }

    var snapshot: RunSnapshot {
        RunSnapshot(
            run: RunMeta(
                id: runId,
                suite: "seed",
                revision: "8f3c0d2e1a",
                branch: "main",
                startedAt: Self.start,
                endedAt: max(clock, Self.start + 1),
                endReason: endReason
            ),
            configuration: configuration,
            expectedFiles: files.map { ExpectedFile(path: $0) },
            workers: workers,
            shardAttempts: shards,
            testAttempts: attempts,
            itemStates: items,
            history: history
        )
    }

    var report: GardenerReport { ReportBuilder.build(snapshot) }

    // MARK: pytest-shaped failures

    static func setupError(_ message: String) -> TestFailure {
        TestFailure(
            message: "failed on setup with \"\(message)\"",
            details: "conftest.py:40: in fixture\nE   \(message)"
        )
    }

    static func assertion(_ message: String, file: String, function: String, line: Int = 12) -> TestFailure {
        TestFailure(
            message: message,
            details:
                "    def \(function)():\n>       \(message)\nE       \(message)\n\n\(root)/\(file):\(line): AssertionError"
        )
    }

    static func error(_ message: String) -> TestFailure { TestFailure(message: message) }
}

extension GardenerReport {
    func file(_ path: String) -> FileReport? { files.first { $0.path == path } }
    func cluster(containing text: String) -> ClusterReport? { clusters.first { $0.normalized.contains(text) } }
    func test(_ id: String) -> TestReport? { tests.first { $0.id == id } }
}
