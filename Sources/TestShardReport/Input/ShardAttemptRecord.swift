import TestShardModel

/// What became of an attempt's result file.
public enum ResultFileState: String, Codable, Sendable, Hashable {
    /// Parsed completely.
    case ok
    /// Present but empty.
    case empty
    /// Never written (killed before the runner got to it, or the worker was lost).
    case missing
    /// Present but truncated or unparsable.
    case corrupt
}

/// One attempt of one shard: a lease handed to a worker slot.
public struct ShardAttemptRecord: Codable, Sendable, Hashable {
    public var shardId: String
    /// 1 for the first attempt; higher after a requeue or a retry.
    public var attempt: Int
    /// The worker that held the lease; `nil` when the attempt never reached one.
    public var workerId: String?
    /// The worker slot (0-based) it ran in, for the timeline; `nil` → the first free lane.
    public var slot: Int?
    /// The items handed out (files, or `file::test` node ids of a split file).
    public var items: [WorkItem]
    /// The exact command the worker ran (after expanding the template), when it reported it.
    public var argv: [String]
    public var startedAt: Double
    /// When the attempt ended; `nil` → treated as ending when the run ended.
    public var endedAt: Double?
    public var exit: ShardExit
    /// The time limit the attempt ran under, in seconds.
    public var timeoutSeconds: Double?
    /// The last lines the command printed (bounded by the worker).
    public var logTail: [String]
    public var resultFile: ResultFileState
    /// `false` when the coordinator discarded the attempt's result (a late answer to an expired
    /// lease): shown in the execution log, never counted.
    public var accepted: Bool

    public init(
        shardId: String,
        attempt: Int = 1,
        workerId: String?,
        slot: Int? = nil,
        items: [WorkItem],
        argv: [String] = [],
        startedAt: Double,
        endedAt: Double?,
        exit: ShardExit,
        timeoutSeconds: Double? = nil,
        logTail: [String] = [],
        resultFile: ResultFileState = .ok,
        accepted: Bool = true
    ) {
        self.shardId = shardId
        self.attempt = attempt
        self.workerId = workerId
        self.slot = slot
        self.items = items
        self.argv = argv
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.exit = exit
        self.timeoutSeconds = timeoutSeconds
        self.logTail = logTail
        self.resultFile = resultFile
        self.accepted = accepted
    }
}
