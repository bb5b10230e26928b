/// Section 1 of the worklog: the executive summary.
public struct ReportSummary: Codable, Sendable, Hashable {
    /// Files by final state.
    public var files: FileCounts
    /// `files − previous run's files`, when there is a previous run.
    public var filesDelta: FileCounts?
    public var tests: TestCounts
    /// Failed and not-run files by the category of their top cluster.
    public var byCause: [CauseCount]
    /// Failing tests by history status (NEW, ONGOING, REGRESSED, FLAKY-HIT; FIXED counts fixed tests).
    public var testsByHistory: [HistoryCount]
    /// Clusters by history status.
    public var clustersByHistory: [HistoryCount]
    /// The longest ONGOING streak among clusters, in runs.
    public var oldestOngoingRuns: Int?
    /// The ids of the three highest-priority clusters.
    public var topClusters: [String]
    /// Gardener notes carried forward for clusters present in this run.
    public var notes: [ClusterNote]
}

/// Tests by verdict in this run (collection errors are counted as files, not tests).
public struct TestCounts: Codable, Sendable, Hashable {
    public var total: Int = 0
    public var passed: Int = 0
    public var failed: Int = 0
    public var flaky: Int = 0
    public var skipped: Int = 0
    /// Failed tests that are quarantined (not in `failed`).
    public var quarantinedFailed: Int = 0
    /// Attempts over all tests (retries included).
    public var attempts: Int = 0
}

/// How many files (and clusters) one cause category accounts for.
public struct CauseCount: Codable, Sendable, Hashable {
    public var category: CauseCategory
    public var files: Int
    public var clusters: Int
}

/// How many units have one history status.
public struct HistoryCount: Codable, Sendable, Hashable {
    public var status: HistoryStatus
    public var count: Int
}

/// A note a gardener attached to a cluster in an earlier run.
public struct ClusterNote: Codable, Sendable, Hashable {
    public var clusterId: String
    public var note: String
}

/// The history status of a failing unit or cluster (report-anchors §8.5).
public enum HistoryStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Failing now; passing (or absent) in the previous comparable run.
    case new
    /// Failing now and in the previous comparable run.
    case ongoing
    /// Failing now; was fixed (a clean run) earlier in the window.
    case regressed
    /// Failed and passed in this run, or labelled flaky and failed once.
    case flakyHit = "flaky_hit"
    /// Failed in the previous run, passes now.
    case fixed
    /// FIXED, but the unit is labelled flaky: wait for clean runs before believing it.
    case fixedUnconfirmed = "fixed_unconfirmed"
    /// Expected but no result this run.
    case notRun = "not_run"
    /// Nothing to say (passing before and now).
    case none

    /// The worklog label.
    public var label: String {
        switch self {
        case .new: "NEW"
        case .ongoing: "ONGOING"
        case .regressed: "REGRESSED"
        case .flakyHit: "FLAKY-HIT"
        case .fixed: "FIXED"
        case .fixedUnconfirmed: "FIXED-unconfirmed"
        case .notRun: "NOT-RUN"
        case .none: "—"
        }
    }

    /// `R` of the priority score.
    var priorityWeight: Double {
        switch self {
        case .new, .regressed: 1.5
        case .flakyHit: 0.5
        default: 1
        }
    }
}
