import TestShardModel

/// Everything the report needs about one finished run, handed over by the coordinator (from its
/// scheduler state) and the history store. The report builder reads nothing else: no files, no
/// network, no clock — times are values in here.
///
/// ```
///  coordinator state ─┐
///  SQLite history ────┼─> RunSnapshot ──ReportBuilder.build──> GardenerReport ──> JSON / Markdown / HTML
///  testshard.toml ────┘
/// ```
///
/// Times are seconds since the Unix epoch (UTC) throughout.
public struct RunSnapshot: Codable, Sendable, Hashable {
    /// Who, what and when: ids, revision, selection, start/end, why it ended.
    public var run: RunMeta
    /// The configuration bits the report reads: areas, categories, triage rules, quarantine, masks.
    public var configuration: ReportConfiguration
    /// The inventory: every file this run was expected to give a result for.
    public var expectedFiles: [ExpectedFile]
    /// Every worker that joined the run.
    public var workers: [WorkerRecord]
    /// Every shard attempt handed out, including discarded (fenced) ones.
    public var shardAttempts: [ShardAttemptRecord]
    /// Every test attempt parsed from the runners' result files.
    public var testAttempts: [TestAttemptRecord]
    /// The scheduler's final word on every item it knew about.
    public var itemStates: [ItemFinalState]
    /// What earlier comparable runs said (empty for the first run).
    public var history: RunHistory

    public init(
        run: RunMeta,
        configuration: ReportConfiguration = ReportConfiguration(),
        expectedFiles: [ExpectedFile],
        workers: [WorkerRecord] = [],
        shardAttempts: [ShardAttemptRecord] = [],
        testAttempts: [TestAttemptRecord] = [],
        itemStates: [ItemFinalState] = [],
        history: RunHistory = RunHistory()
    ) {
        self.run = run
        self.configuration = configuration
        self.expectedFiles = expectedFiles
        self.workers = workers
        self.shardAttempts = shardAttempts
        self.testAttempts = testAttempts
        self.itemStates = itemStates
        self.history = history
    }
}

/// What kind of run this was.
public enum RunKind: String, Codable, Sendable, Hashable {
    /// A full run (`testshard-coordinator run`).
    case run
    /// A rerun of part of an earlier run (`rerun --from RUN_ID`); `parentRunId` names it.
    case rerun
    /// A run resumed after the coordinator restarted.
    case resume
}

/// Why the run ended.
public enum RunEndReason: String, Codable, Sendable, Hashable {
    /// The queue drained: every item was handed out and answered (or given up on).
    case completed
    /// `--deadline` was reached: no new work after it; what had not run is "not run: deadline".
    case deadline
    /// Someone stopped the run (SIGINT/SIGTERM) before the queue drained.
    case interrupted
    /// The coordinator gave up (for example, no worker joined in time).
    case aborted
}

/// The run's identity and frame.
public struct RunMeta: Codable, Sendable, Hashable {
    /// The run id (also the report folder name).
    public var id: String
    public var kind: RunKind
    /// For a rerun or resume: the run it came from.
    public var parentRunId: String?
    /// The suite's name (config folder name or `[suite] name`).
    public var suite: String
    /// The revision (commit sha) the suite was at, when known.
    public var revision: String?
    public var branch: String?
    /// The `--profile` the run used, if any.
    public var profile: String?
    /// The `--category` values the run selected; empty means every file of the inventory.
    public var categoriesSelected: [String]
    public var startedAt: Double
    public var endedAt: Double
    public var endReason: RunEndReason
    /// `--deadline` in seconds, when one was given.
    public var deadlineSeconds: Double?

    public init(
        id: String,
        kind: RunKind = .run,
        parentRunId: String? = nil,
        suite: String,
        revision: String? = nil,
        branch: String? = nil,
        profile: String? = nil,
        categoriesSelected: [String] = [],
        startedAt: Double,
        endedAt: Double,
        endReason: RunEndReason = .completed,
        deadlineSeconds: Double? = nil
    ) {
        self.id = id
        self.kind = kind
        self.parentRunId = parentRunId
        self.suite = suite
        self.revision = revision
        self.branch = branch
        self.profile = profile
        self.categoriesSelected = categoriesSelected
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.endReason = endReason
        self.deadlineSeconds = deadlineSeconds
    }
}
