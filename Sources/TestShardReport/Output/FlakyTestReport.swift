/// One row of the flaky-tests section (worklog §5).
public struct FlakyTestReport: Codable, Sendable, Hashable {
    public var id: String
    public var file: String
    public var score: FlakinessScore
    /// Whether it failed and then passed in this run.
    public var retryPassThisRun: Bool
    public var quarantined: Bool
    /// Verdicts oldest → newest (`P`, `F`, `K`, `X`).
    public var verdicts: String
    public var owner: String?
}

/// What was FIXED since the previous comparable run (worklog §6).
public struct FixedReport: Codable, Sendable, Hashable {
    public var tests: [FixedTest]
    public var clusters: [FixedCluster]
}

/// A test that failed in the previous run and passes now.
public struct FixedTest: Codable, Sendable, Hashable {
    public var id: String
    public var file: String
    /// `fixed`, or `fixedUnconfirmed` for a test labelled flaky.
    public var status: HistoryStatus
}

/// A cluster of the previous run that is gone.
public struct FixedCluster: Codable, Sendable, Hashable {
    public var id: String
    public var title: String
    /// `false` when files it hit last time did not run now (gone because not run, not fixed).
    public var confirmed: Bool
    public var filesNotRun: [String]
}

/// For a rerun: what became of a test that failed in the parent run.
public struct RerunOutcome: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable, Hashable {
        case fixedByRerun = "fixed_by_rerun"
        case stillFailing = "still_failing"
        /// Failed, then passed on a retry inside the rerun.
        case flakyInRerun = "flaky_in_rerun"
        case notRun = "not_run"

        public var label: String {
            switch self {
            case .fixedByRerun: "fixed by rerun"
            case .stillFailing: "still failing"
            case .flakyInRerun: "flaky in rerun"
            case .notRun: "not run"
            }
        }
    }

    public var test: String
    public var outcome: Outcome
}
