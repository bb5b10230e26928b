/// The one final state of an expected file.
public enum FileState: String, Codable, Sendable, Hashable, CaseIterable {
    case passed
    /// At least one (non-quarantined) test failed in every attempt.
    case failed
    /// A test failed and then passed on a retry.
    case flaky
    /// Every test skipped.
    case skipped
    /// Only quarantined tests failed: reported, but does not fail the run.
    case quarantinedFailed = "quarantined_failed"
    /// No result; `notRunReason` says why.
    case notRun = "not_run"

    /// The worklog label.
    public var label: String {
        switch self {
        case .passed: "passed"
        case .failed: "failed"
        case .flaky: "flaky"
        case .skipped: "skipped"
        case .quarantinedFailed: "quarantined-failed"
        case .notRun: "not run"
        }
    }
}

/// One expected file.
public struct FileReport: Codable, Sendable, Hashable {
    public var path: String
    public var state: FileState
    /// Set when `state` is `notRun`.
    public var notRunReason: NotRunReason?
    /// Set when the file failed but part of it also has no result (it hung after a failure).
    public var incompleteReason: NotRunReason?
    /// The collection error, or the last output line of a hang.
    public var detail: String?
    public var areas: [String]
    public var categories: [String]
    public var quarantined: Bool
    /// Tests of the file by final verdict (a flaky test counts as passed; collection errors are
    /// not tests).
    public var tests: AttemptCounts
    /// Summed duration of its test attempts.
    public var durationSeconds: Double
    /// The planner's estimate (for files that did not run).
    public var estimateSeconds: Double?
    /// `shard#attempt` of the attempts it was in.
    public var shards: [String]
    public var clusters: [String]
    /// `false` when it failed only with infrastructure/environment causes or did not run.
    public var effectivelyTested: Bool
}
