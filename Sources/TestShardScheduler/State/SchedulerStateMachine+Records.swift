import TestShardModel

// The bookkeeping types behind the state machine. Internal: the shell sees only events and actions.
extension SchedulerStateMachine {
    /// One run item and what is known of it.
    struct ItemState: Sendable {
        let item: WorkItem
        let estimate: Double
        /// Set once, when the item ends.
        var final: ItemFinalState?
        /// The state the item ends in regardless of its tests (its first run ended without results).
        var forced: ItemFinalState?
        var tests: [String: TestHistory] = [:]
        var testOrder: [String] = []
        /// Jobs of this item not yet done: the first run, then any test retries.
        var pendingJobs = 1
    }

    /// All attempts of one test in this run.
    struct TestHistory: Sendable {
        var statuses: [TestStatus] = []
        var failedOn: [WorkerID] = []
        var lastDuration = 0.0
    }

    /// What a job is doing.
    enum JobState: Hashable, Sendable {
        case queued
        case leased(LeaseKey)
        case done
    }

    /// One unit of work the queue holds: an item's first run, or one retry of a failed test.
    struct Job: Sendable {
        /// What the worker is told to run: the item itself, or the test id of a retry.
        let workItem: WorkItem
        /// The owning run item.
        let item: Int
        /// The test a retry job reruns; `nil` for an item's first run.
        let retryOf: String?
        let estimate: Double
        var state: JobState = .queued
        /// Times its shard was lost, expired or handed back.
        var lostCount = 0
        /// Times its shard ended without its result for a reason that may be its own.
        var isolationRounds = 0
        var refusedBy: Set<WorkerID> = []
        var refusalReason: String?
        /// Workers it should not go back to unless no other can take it (where the test failed).
        var avoid: Set<WorkerID> = []

        var isRetry: Bool { retryOf != nil }
    }

    /// A shard attempt handed out and not yet ended.
    struct Lease: Sendable {
        let key: LeaseKey
        let worker: WorkerID
        let jobs: [Int]
        let kind: ShardAssignment.Kind
        /// Whether the composition must stay together if it is handed out again.
        let pinned: Bool
        let assignedAt: Double
        let timeout: Double
        let estimate: Double
        var renewedAt: Double
        var startedAt: Double?
        var command: [String]?
        var lastStartedItem: WorkItem?
        /// When the run's stop cancelled this shard; its result is still accepted until
        /// `stopResultWait` later (the tests it finished count).
        var stopRequestedAt: Double? = nil
    }

    /// A lease that ended, kept so later messages naming it are fenced with the right reason.
    struct EndedLease: Sendable {
        let worker: WorkerID
        let disposition: ShardRecord.Disposition
    }

    /// A connected worker.
    struct WorkerState: Sendable {
        let id: WorkerID
        var slots: Int
        let joinOrder: Int
        var lastSeen: Double
        var draining = false
        var unresponsive = false
        var leases: Set<LeaseKey> = []
        /// The items' own seconds and their estimates, summed over this worker's complete shards.
        var workSeconds = 0.0
        var estimatedSeconds = 0.0
        var completeShards = 0

        var freeSlots: Int { max(0, slots - leases.count) }
        var isEligible: Bool { !draining && !unresponsive && slots > 0 }
    }

    /// The run stops handing out work.
    struct StopState: Sendable {
        let reason: StopReason
        /// When running shards are cancelled; `nil` lets them end on their own (or by their timeout).
        var cancelAt: Double?
    }

    enum Phase: Sendable {
        case notStarted
        case running
        case finished
    }

    /// Why the unfinished items of a lease have no results, which decides where they go.
    enum UnfinishedCause: Sendable {
        /// The items may be at fault (timeout, crash, missing results): isolate; an item that was
        /// alone ends in this state.
        case isolation(ItemFinalState)
        /// Not the items' fault (worker lost, lease expired, handed back); `isolateSuspect` runs the
        /// item that was running alone in case it brought the worker down.
        case infrastructure(RequeueReason, isolateSuspect: Bool)
    }
}
