import TestShardModel

/// Why an item never ran.
public enum NotRunReason: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The run's deadline came first (`--deadline`).
    case deadline
    /// The run was cancelled (cancel-all, coordinator shutdown).
    case cancelled
    /// No worker could take work for `noWorkersTimeout`.
    case noWorkers
    /// Every worker that could take it refused it; the worker's reason.
    case refused(String)

    public var description: String {
        switch self {
        case .deadline: "deadline"
        case .cancelled: "cancelled"
        case .noWorkers: "no workers"
        case .refused(let reason): "refused: \(reason)"
        }
    }
}

/// Why the run stops handing out work before the queue is empty.
public enum StopReason: String, Hashable, Sendable, Codable {
    /// The deadline passed.
    case deadline
    /// The run was cancelled or drained from outside.
    case cancelled
    /// No worker could take work for too long.
    case noWorkers

    /// The reason items left over get.
    public var notRunReason: NotRunReason {
        switch self {
        case .deadline: .deadline
        case .cancelled: .cancelled
        case .noWorkers: .noWorkers
        }
    }
}

/// The one final state every item of a run ends in.
public enum ItemFinalState: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Every test passed (skips allowed).
    case passed
    /// At least one test failed or errored on every attempt.
    case failed
    /// At least one test failed, then passed on a retry; none failed for good.
    case flaky
    /// Every test was skipped.
    case skipped
    /// The runner found no tests in it.
    case noTests
    /// Run alone, it did not finish within the shard timeout: the hanging item.
    case timeout
    /// Run alone, the runner crashed or aborted on it.
    case crashed
    /// Run alone, the runner ended without a result for it (missing or truncated result file).
    case noResults
    /// Its shards were lost (worker gone, lease expired) `maxLostRequeues` times.
    case lost
    /// It never ran, and why.
    case notRun(NotRunReason)

    /// Whether the item has real test results (as opposed to timeout, crash, lost, not run…).
    public var hasResults: Bool {
        switch self {
        case .passed, .failed, .flaky, .skipped, .noTests: true
        case .timeout, .crashed, .noResults, .lost, .notRun: false
        }
    }

    /// Whether the item counts against the run (a failure, or something that stopped it from running
    /// that is the item's own doing).
    public var isFailure: Bool {
        switch self {
        case .failed, .timeout, .crashed, .noResults: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .passed: "passed"
        case .failed: "failed"
        case .flaky: "flaky"
        case .skipped: "skipped"
        case .noTests: "no tests"
        case .timeout: "timeout"
        case .crashed: "crashed"
        case .noResults: "no results"
        case .lost: "lost"
        case .notRun(let reason): "not run (\(reason))"
        }
    }
}

/// How one test of an item ended over all its attempts in the run.
public struct TestOutcome: Hashable, Sendable, Codable {
    /// The verdict over all attempts.
    public enum Verdict: String, Hashable, Sendable, Codable {
        /// Passed on its first attempt.
        case passed
        /// Failed (assertion) on every attempt.
        case failed
        /// Errored (fixture, setup, import) on its last attempt and never passed.
        case error
        /// Skipped.
        case skipped
        /// Failed or errored, then passed on a retry.
        case flaky
    }

    /// The test id (`tests/a.py::TestX::test_y`).
    public let id: String
    public let verdict: Verdict
    /// How many attempts ran (1 = no retry).
    public let attempts: Int

    public init(id: String, verdict: Verdict, attempts: Int) {
        self.id = id
        self.verdict = verdict
        self.attempts = attempts
    }
}

/// An item's final state with the per-test verdicts behind it.
public struct ItemFinal: Hashable, Sendable, Codable {
    public let item: WorkItem
    public let state: ItemFinalState
    /// Every test seen for the item, in the order first seen.
    public let tests: [TestOutcome]
    /// The item's estimate in seconds (what `not run` items would have cost).
    public let estimatedSeconds: Double

    public init(item: WorkItem, state: ItemFinalState, tests: [TestOutcome], estimatedSeconds: Double) {
        self.item = item
        self.state = state
        self.tests = tests
        self.estimatedSeconds = estimatedSeconds
    }
}
