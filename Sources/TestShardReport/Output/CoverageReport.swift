/// Expected vs received (worklog §7): a missing result is a result.
public struct CoverageReport: Codable, Sendable, Hashable {
    public var expectedFiles: Int
    public var filesWithResult: Int
    /// Every file without a result, by reason then path.
    public var notRun: [NotRunFile]
    public var byReason: [ReasonCount]
    /// Files with a result for part of them only (failed, then hung or crashed).
    public var partial: [NotRunFile]
    /// Files that failed only with infrastructure/environment causes.
    public var notEffectivelyTested: [String]
    /// Tests and files whose failures quarantine hid.
    public var hiddenByQuarantine: [String]
    public var skippedFiles: Int
    /// Inventory drift against the previous run (when it stored its file list).
    public var inventoryAdded: [String]
    public var inventoryRemoved: [String]
    /// Summed estimates of what did not run (worker-seconds).
    public var notRunEstimateSeconds: Double
    /// …divided over the run's slots: roughly how much longer the run would have needed.
    public var notRunEstimateWallSeconds: Double
}

/// One file without (a complete) result.
public struct NotRunFile: Codable, Sendable, Hashable {
    public var file: String
    public var reason: NotRunReason
    public var shard: String?
    public var detail: String?
    public var estimateSeconds: Double?
    public var quarantined: Bool
}

/// Files per not-run reason.
public struct ReasonCount: Codable, Sendable, Hashable {
    public var reason: NotRunReason
    public var files: Int
}

/// Quarantine in force and expired.
public struct QuarantineReport: Codable, Sendable, Hashable {
    public var active: [QuarantineStatus]
    /// Entries past their expiry: no longer applied; renew or remove them.
    public var expired: [QuarantineStatus]
}

/// One quarantine entry and what it did this run.
public struct QuarantineStatus: Codable, Sendable, Hashable {
    public var id: String
    public var reason: String
    public var expires: String?
    /// Tests it matched this run.
    public var matchedTests: Int
    /// Failures it hid (tests that failed but did not fail the run).
    public var hiddenFailures: Int
}

/// One ranked next action (worklog §8).
public struct NextAction: Codable, Sendable, Hashable {
    public var rank: Int
    public var severity: Severity
    public var title: String
    public var clusterId: String?
    /// A command to run, when there is one (repro, rerun).
    public var command: String?
    public var score: Double
}

/// Versions, rules and thresholds in force, and input problems the builder skipped.
public struct ReportAppendix: Codable, Sendable, Hashable {
    public var normalizer: String
    public var masks: [String]
    public var rules: [RuleInfo]
    public var thresholds: ReportThresholds
    /// Config values that could not be used (bad regex, glob, mask, date), each with what to do.
    public var warnings: [String]
}

/// One triage rule in force.
public struct RuleInfo: Codable, Sendable, Hashable {
    public var id: String
    /// `config` or `builtin`.
    public var source: String
    public var category: CauseCategory
    /// What it matches, in words.
    public var matches: String
    /// How many clusters it decided this run.
    public var clusters: Int
}
