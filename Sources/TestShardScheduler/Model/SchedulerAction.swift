import TestShardModel

/// What the coordinator shell must do after an event. The shell carries out the actions of one event
/// in order, with one `switch`; none of them feeds back into the scheduler except through new events.
public enum SchedulerAction: Hashable, Sendable {
    /// Send `assignment` to the worker. The lease starts now: the worker's heartbeats must name
    /// `assignment.lease`, and its result must carry it.
    case assign(WorkerID, ShardAssignment)
    /// Tell the worker to stop this shard attempt (stop its process group). For
    /// ``CancelReason/stopped(_:)`` the lease stays open for ``SchedulerConfiguration/stopResultWait``:
    /// the worker's answer — the tests that finished — is accepted, the rest ends as not run. For
    /// every other reason the scheduler has already ended the lease and a later answer is discarded.
    case cancel(WorkerID, LeaseKey, CancelReason)
    /// A message was fenced off: log it (with the reason) and ignore it. Nothing from it is counted.
    case discard(DiscardedMessage)
    /// Store this accepted shard: its row in the execution log and its test results in history, in one
    /// transaction. Each test result appears in exactly one accepted record.
    case recordAccepted(ShardRecord)
    /// Store this shard attempt that ended without an accepted result (lost, expired, hard-stopped,
    /// cancelled, refused) in the execution log. It carries no test results.
    case recordShardEnded(ShardRecord)
    /// These items went back to the queue (log and metrics only; the scheduler hands them out again).
    case itemsRequeued([WorkItem], RequeueReason, from: LeaseKey)
    /// A failed test will run again as its own item (log; the report shows every attempt). `attempt` is
    /// the number of the coming attempt (2 for the first retry); `avoiding` are the workers it failed on.
    case testRetryScheduled(test: String, item: WorkItem, attempt: Int, avoiding: [WorkerID])
    /// The item's final state: record it. Emitted exactly once per item in a run.
    case itemFinal(ItemFinal)
    /// Something worth a log line that is not a fenced message.
    case notice(SchedulerNotice)
    /// Every item is final and no shard is running: write the report, tell workers to stop, exit with
    /// the status the summary implies. Emitted once; later events only produce `discard`.
    case runFinished(RunSummary)
}

/// Why the scheduler cancels a shard.
public enum CancelReason: Hashable, Sendable, CustomStringConvertible {
    /// No result within the shard timeout plus the hard-stop grace.
    case hardTimeout
    /// The lease expired (no heartbeat); the items run elsewhere.
    case leaseExpired
    /// The worker still reports a lease the scheduler has ended (after a reconnect, or an expiry).
    case leaseEnded
    /// The run stopped and the grace period is over.
    case stopped(StopReason)

    public var description: String {
        switch self {
        case .hardTimeout: "no result within timeout + grace"
        case .leaseExpired: "lease expired"
        case .leaseEnded: "lease already ended"
        case .stopped(let reason): "run stopped (\(reason.rawValue))"
        }
    }
}

/// A message the scheduler ignored, and why.
public struct DiscardedMessage: Hashable, Sendable, CustomStringConvertible {
    /// What kind of message it was.
    public enum Kind: String, Hashable, Sendable {
        case result
        case heartbeat
        case started
        case refusal
        case workRequest = "work_request"
    }

    /// Why it was ignored.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// No such shard attempt was ever handed out.
        case unknownLease
        /// The worker never joined (or already left).
        case unknownWorker
        /// This attempt's result was already accepted: a duplicate.
        case alreadyAccepted
        /// The lease had already ended this way (a late result after expiry, loss, hard stop, cancel).
        case leaseEnded(ShardRecord.Disposition)
        /// The lease belongs to another worker.
        case foreignWorker(owner: WorkerID)
        /// The run is over.
        case runFinished

        public var description: String {
            switch self {
            case .unknownLease: "no such shard attempt was handed out"
            case .unknownWorker: "unknown worker"
            case .alreadyAccepted: "duplicate: this attempt's result was already accepted"
            case .leaseEnded(let how): "late: the lease already ended (\(how.rawValue))"
            case .foreignWorker(let owner): "the lease belongs to worker \(owner)"
            case .runFinished: "the run is over"
            }
        }
    }

    public let kind: Kind
    public let worker: WorkerID
    /// The lease the message named, when it named one.
    public let lease: LeaseKey?
    public let reason: Reason

    public init(kind: Kind, worker: WorkerID, lease: LeaseKey?, reason: Reason) {
        self.kind = kind
        self.worker = worker
        self.lease = lease
        self.reason = reason
    }

    public var description: String {
        "\(kind.rawValue) from \(worker)\(lease.map { " for \($0)" } ?? "") ignored: \(reason)"
    }
}

/// Why items went back to the queue.
public enum RequeueReason: Hashable, Sendable, CustomStringConvertible {
    /// The worker's connection was lost (not the items' fault).
    case workerLost
    /// The lease expired (not the items' fault).
    case leaseExpired
    /// The worker handed the shard back (draining, shutting down).
    case handedBack
    /// The worker refused the shard or some of its items; they go to other workers.
    case refused(String)
    /// Isolation: this item was running when the shard ended without results; it runs alone next.
    case isolateAlone
    /// Isolation: the shard's other unfinished items, requeued apart from the suspect.
    case isolateRest
    /// Isolation: the unfinished items, split in two halves because the suspect is unknown.
    case bisect

    public var description: String {
        switch self {
        case .workerLost: "worker lost"
        case .leaseExpired: "lease expired"
        case .handedBack: "handed back"
        case .refused(let reason): "refused: \(reason)"
        case .isolateAlone: "isolation: suspect runs alone"
        case .isolateRest: "isolation: rest of the shard"
        case .bisect: "isolation: bisect"
        }
    }
}

/// Log-worthy events that are neither fencing nor item states.
public enum SchedulerNotice: Hashable, Sendable {
    /// Dispatch starts: the expected workers joined, or the wait for them timed out.
    case dispatchStarted(joinedWorkers: Int, expectedWorkers: Int)
    /// A worker sent nothing for a lease timeout: no work goes to it until it speaks again.
    case workerUnresponsive(WorkerID)
    /// The retry budget (`maxRetriedTests`) is spent: this failed test is not retried.
    case retryBudgetExhausted(test: String)
    /// The run stops handing out work.
    case stopping(StopReason, cancelRunningAt: Double?)
}
