/// Coverage status of one business area (worklog §2).
public struct AreaReport: Codable, Sendable, Hashable {
    /// COVERED, DEGRADED, BLIND.
    public enum Status: String, Codable, Sendable, Hashable {
        /// Every file ran; failures only from flaky or quarantined tests.
        case covered = "COVERED"
        /// Product or test failures, or some files without a result.
        case degraded = "DEGRADED"
        /// Too many files did not effectively run (not run, or only infrastructure failures).
        case blind = "BLIND"
        /// No file of the area was in this run's selection.
        case notSelected = "NOT SELECTED"
    }

    public var id: String
    public var criticality: AreaCriticality
    public var owner: String?
    public var expected: Int
    public var ran: Int
    public var passed: Int
    public var failed: Int
    public var flaky: Int
    public var skipped: Int
    public var quarantinedFailed: Int
    public var notRun: Int
    /// Files that failed only with infrastructure/environment causes (they say nothing about the code).
    public var notEffectivelyTested: Int
    public var status: Status
    /// The highest-priority cluster that hit the area.
    public var topCluster: String?
}

/// Files of one `[[category]]` and how they ended.
public struct CategoryReport: Codable, Sendable, Hashable {
    public var id: String
    /// Whether the run selected it (`--category`; every category when none was given).
    public var selected: Bool
    public var counts: FileCounts
}
