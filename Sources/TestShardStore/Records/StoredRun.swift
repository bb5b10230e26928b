import GRDB

/// One row of `run`: a run of the suite (or an import), what it ran against and how it ended.
public struct StoredRun: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "run"

    /// The run id, `yyyyMMdd-HHmmss-xxxx` in UTC (see ``makeID(startedAt:suffix:)``).
    public var id: String
    public var kind: StoredRun.Kind
    /// The run this one reruns or resumes, when it does.
    public var parentRunID: String?
    public var status: StoredRun.Status
    /// Unix seconds.
    public var startedAt: Double
    /// Unix seconds; `nil` while running.
    public var endedAt: Double?
    /// The suite's name (config), part of what makes two runs comparable.
    public var suite: String
    /// The suite root the coordinator served, as an absolute path.
    public var root: String
    public var gitRevision: String?
    public var branch: String?
    /// The runner profile or config variant, part of what makes two runs comparable.
    public var profile: String?
    /// Selected categories/markers, sorted and without duplicates (the store normalizes them), part
    /// of what makes two runs comparable. Stored as a JSON array.
    public var categories: [String]
    /// How many items the run expected (set by ``HistoryStore/recordExpectedItems(runID:items:)``).
    public var expectedItems: Int?
    /// The coordinator's exit status (DESIGN.md: 0, 1, 2, 3).
    public var exitStatus: Int?
    /// A hash of the effective configuration, to tell "same suite, changed config" apart.
    public var configHash: String?
    public var coordinatorHost: String?
    /// How many times the coordinator picked this run up again after it was interrupted.
    public var resumeCount: Int

    public init(
        id: String,
        kind: StoredRun.Kind = .run,
        parentRunID: String? = nil,
        status: StoredRun.Status = .running,
        startedAt: Double,
        endedAt: Double? = nil,
        suite: String,
        root: String,
        gitRevision: String? = nil,
        branch: String? = nil,
        profile: String? = nil,
        categories: [String] = [],
        expectedItems: Int? = nil,
        exitStatus: Int? = nil,
        configHash: String? = nil,
        coordinatorHost: String? = nil,
        resumeCount: Int = 0
    ) {
        self.id = id
        self.kind = kind
        self.parentRunID = parentRunID
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.suite = suite
        self.root = root
        self.gitRevision = gitRevision
        self.branch = branch
        self.profile = profile
        self.categories = categories
        self.expectedItems = expectedItems
        self.exitStatus = exitStatus
        self.configHash = configHash
        self.coordinatorHost = coordinatorHost
        self.resumeCount = resumeCount
    }

    enum CodingKeys: String, CodingKey {
        case id, kind
        case parentRunID = "parent_run_id"
        case status
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case suite, root
        case gitRevision = "git_revision"
        case branch, profile, categories
        case expectedItems = "expected_items"
        case exitStatus = "exit_status"
        case configHash = "config_hash"
        case coordinatorHost = "coordinator_host"
        case resumeCount = "resume_count"
    }

    /// The table's columns, for queries.
    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let kind = Column(CodingKeys.kind)
        public static let parentRunID = Column(CodingKeys.parentRunID)
        public static let status = Column(CodingKeys.status)
        public static let startedAt = Column(CodingKeys.startedAt)
        public static let endedAt = Column(CodingKeys.endedAt)
        public static let suite = Column(CodingKeys.suite)
        public static let profile = Column(CodingKeys.profile)
        public static let categories = Column(CodingKeys.categories)
        public static let branch = Column(CodingKeys.branch)
        public static let expectedItems = Column(CodingKeys.expectedItems)
        public static let exitStatus = Column(CodingKeys.exitStatus)
        public static let resumeCount = Column(CodingKeys.resumeCount)
    }
}
