import TestShardModel

/// What earlier comparable runs (same suite, branch and run kind) said, as read from the history
/// store. All lists are newest first.
///
/// The store may leave out every test that passed in every run of the window, but must include
/// every test that failed any attempt in one of those runs *or in this run*: flakiness, rerun
/// advice and FIXED all depend on the failures.
public struct RunHistory: Codable, Sendable, Hashable {
    /// The comparable runs before this one, newest first (at most `thresholds.window - 1`).
    public var runs: [HistoricalRun]
    /// The run this one is compared with: normally `runs.first`; for a rerun, the parent run.
    public var previousRun: PreviousRunSummary?
    /// Per-test verdicts over `runs`.
    public var tests: [TestHistory]
    /// What is known about failure signatures seen before.
    public var clusters: [ClusterHistory]
    /// Gardener notes carried forward, by cluster id.
    public var notes: [String: String]

    public init(
        runs: [HistoricalRun] = [],
        previousRun: PreviousRunSummary? = nil,
        tests: [TestHistory] = [],
        clusters: [ClusterHistory] = [],
        notes: [String: String] = [:]
    ) {
        self.runs = runs
        self.previousRun = previousRun
        self.tests = tests
        self.clusters = clusters
        self.notes = notes
    }
}

/// One earlier comparable run.
public struct HistoricalRun: Codable, Sendable, Hashable {
    public var id: String
    public var startedAt: Double
    public var revision: String?
    /// Whether that run was a mass failure (its verdicts are excluded from flakiness).
    public var massFailure: Bool

    public init(id: String, startedAt: Double, revision: String? = nil, massFailure: Bool = false) {
        self.id = id
        self.startedAt = startedAt
        self.revision = revision
        self.massFailure = massFailure
    }
}

/// The summary of the run this one is compared with.
public struct PreviousRunSummary: Codable, Sendable, Hashable {
    public var id: String
    public var startedAt: Double
    public var revision: String?
    /// Its file counts, for the Δ column.
    public var counts: FileCounts
    /// The clusters it had; those missing now are reported FIXED.
    public var clusterIds: [String]
    /// Its inventory, for "files added / removed"; `nil` when not stored.
    public var files: [String]?

    public init(
        id: String,
        startedAt: Double,
        revision: String? = nil,
        counts: FileCounts,
        clusterIds: [String] = [],
        files: [String]? = nil
    ) {
        self.id = id
        self.startedAt = startedAt
        self.revision = revision
        self.counts = counts
        self.clusterIds = clusterIds
        self.files = files
    }
}

/// One test's (or file-level unit's) verdicts in earlier runs.
public struct TestHistory: Codable, Sendable, Hashable {
    /// Test id (`path::name`), or a file path for file-level units.
    public var id: String
    /// Its attempts per run, newest first; runs of `RunHistory.runs` missing here did not run it.
    public var runs: [TestRunRecord]

    public init(id: String, runs: [TestRunRecord]) {
        self.id = id
        self.runs = runs
    }
}

/// A unit's attempts in one earlier run.
public struct TestRunRecord: Codable, Sendable, Hashable {
    public var runId: String
    /// Every attempt's status, in order (a retry after a failure is a second entry).
    public var attempts: [TestStatus]
    /// Whether every failure it had in that run was categorized infrastructure or environment
    /// (such a run says nothing about the test: verdict `X`).
    public var infrastructureOnly: Bool

    public init(runId: String, attempts: [TestStatus], infrastructureOnly: Bool = false) {
        self.runId = runId
        self.attempts = attempts
        self.infrastructureOnly = infrastructureOnly
    }
}

/// What the store knows about one failure signature.
public struct ClusterHistory: Codable, Sendable, Hashable {
    /// The signature id (`r1:…`).
    public var id: String
    /// Its normalized text, for FIXED entries.
    public var title: String
    public var firstSeenRunId: String
    public var firstSeenAt: Double
    public var lastSeenRunId: String
    public var lastSeenAt: Double
    /// How many consecutive comparable runs, ending with the previous run, had it (0 when the
    /// previous run did not).
    public var streakRuns: Int
    /// The first run of that streak.
    public var streakSinceRunId: String?
    /// The files it hit when last seen (to tell FIXED from "not run this time").
    public var lastFiles: [String]

    public init(
        id: String,
        title: String,
        firstSeenRunId: String,
        firstSeenAt: Double,
        lastSeenRunId: String,
        lastSeenAt: Double,
        streakRuns: Int,
        streakSinceRunId: String? = nil,
        lastFiles: [String] = []
    ) {
        self.id = id
        self.title = title
        self.firstSeenRunId = firstSeenRunId
        self.firstSeenAt = firstSeenAt
        self.lastSeenRunId = lastSeenRunId
        self.lastSeenAt = lastSeenAt
        self.streakRuns = streakRuns
        self.streakSinceRunId = streakSinceRunId
        self.lastFiles = lastFiles
    }
}
