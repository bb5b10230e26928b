import TestShardModel

/// The scheduler's final outcome for one item.
public enum ItemOutcome: String, Codable, Sendable, Hashable {
    case passed
    case failed
    /// Failed, then passed on a retry.
    case flaky
    case skipped
    /// The item hung: it was the culprit of a shard timeout (isolated by requeueing).
    case timeout
    /// The item crashed its runner on its own.
    case crashed
    /// The item was on a lost worker and could not be finished.
    case lost
    /// The item never produced a result; `reason` says why.
    case notRun = "not_run"
}

/// Why an expected file (or item) has no result.
public enum NotRunReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// The file does not even collect (syntax error, import error at module level).
    case collectionError = "collection_error"
    /// It hung past the shard timeout.
    case timeout
    /// Its runner crashed (signal, abort) with it alone on the shard.
    case crashed
    /// The runner ended without a usable result file for it.
    case noResults = "no_results"
    /// The worker running it went away and it could not be finished elsewhere.
    case lostWorker = "lost_worker"
    /// `--deadline` came before it was handed out or finished.
    case deadline
    /// The run was stopped or the shard withdrawn.
    case cancelled
    /// A worker refused it (for example, a profile it lacks).
    case refused
    /// It was in the inventory but never handed out.
    case neverScheduled = "never_scheduled"

    /// The upper-case label used in the worklog.
    public var label: String {
        switch self {
        case .collectionError: "COLLECTION ERROR"
        case .timeout: "TIMEOUT"
        case .crashed: "CRASH"
        case .noResults: "NO RESULTS"
        case .lostWorker: "LOST WORKER"
        case .deadline: "DEADLINE"
        case .cancelled: "CANCELLED"
        case .refused: "REFUSED"
        case .neverScheduled: "NEVER SCHEDULED"
        }
    }

    /// Order in which a file's reasons are reported when several apply (the most specific first).
    var precedence: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

/// The scheduler's final state for one item.
public struct ItemFinalState: Codable, Sendable, Hashable {
    public var item: WorkItem
    public var outcome: ItemOutcome
    /// Set when `outcome` is `notRun` (and may refine `timeout`/`crashed`/`lost`).
    public var reason: NotRunReason?
    /// A message for the gardener: the collection error, the last output line of a hang.
    public var detail: String?
    /// The shard (and attempt) that produced the outcome, when one did.
    public var shardId: String?
    public var shardAttempt: Int?
    /// The estimate in seconds for an item that did not run.
    public var estimateSeconds: Double?

    public init(
        item: WorkItem,
        outcome: ItemOutcome,
        reason: NotRunReason? = nil,
        detail: String? = nil,
        shardId: String? = nil,
        shardAttempt: Int? = nil,
        estimateSeconds: Double? = nil
    ) {
        self.item = item
        self.outcome = outcome
        self.reason = reason
        self.detail = detail
        self.shardId = shardId
        self.shardAttempt = shardAttempt
        self.estimateSeconds = estimateSeconds
    }

    /// Why the item has no result, or `nil` when it has one.
    public var notRunReason: NotRunReason? {
        switch outcome {
        case .passed, .failed, .flaky, .skipped: nil
        case .timeout: .timeout
        case .crashed: .crashed
        case .lost: .lostWorker
        case .notRun: reason ?? .neverScheduled
        }
    }
}
