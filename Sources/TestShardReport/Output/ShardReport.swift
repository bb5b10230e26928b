import TestShardModel

/// One shard attempt in the execution log (worklog §3.1) and on the timeline.
public struct ShardReport: Codable, Sendable, Hashable {
    public var id: String
    public var attempt: Int
    public var workerId: String?
    /// The timeline lane inside the worker (its slot).
    public var slot: Int
    public var items: [String]
    /// The command the worker ran, shell-quoted (paste it to run the shard again).
    public var command: String
    public var startedAt: Double
    public var endedAt: Double
    public var durationSeconds: Double
    public var exit: ShardExit
    /// `OK`, `TESTS_FAILED`, `TIMEOUT (>120s)`, `CRASH (signal 9)`, `LOST`, `NO_RESULTS`, …
    public var exitLabel: String
    public var timeoutSeconds: Double?
    public var tests: AttemptCounts
    /// The normalized first error, or the last log line before a kill.
    public var firstSignal: String?
    /// The last lines of output (at most 20).
    public var logTail: [String]
    public var resultFile: ResultFileState
    /// `false` when the coordinator discarded the result (a late answer to an expired lease).
    public var accepted: Bool
    /// Whether the attempt ended other than OK (sorted first).
    public var problem: Bool
    public var clusters: [String]
    /// Whether to rerun it (report-anchors §8.4); set for attempts with failing tests.
    public var rerunAdvice: RerunAdvice?
}

/// Test attempts by status.
public struct AttemptCounts: Codable, Sendable, Hashable {
    public var passed: Int = 0
    public var failed: Int = 0
    public var errors: Int = 0
    public var skipped: Int = 0

    mutating func add(_ status: TestStatus) {
        switch status {
        case .passed: passed += 1
        case .failed: failed += 1
        case .error: errors += 1
        case .skipped: skipped += 1
        }
    }

    /// `P/F/E/S`.
    public var text: String { "\(passed)/\(failed)/\(errors)/\(skipped)" }
}

/// Rerun or fix (report-anchors §8.4).
public struct RerunAdvice: Codable, Sendable, Hashable {
    /// Rerun only when every failed test has P(pass within 2 tries) ≥ 0.9 and no failure is
    /// infrastructure or environment.
    public var rerun: Bool
    /// The smallest P(pass within 2 more attempts) over the failed tests.
    public var passWithinTwo: Double
    public var reason: String
}
