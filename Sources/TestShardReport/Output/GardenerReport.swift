/// The gardener report: the source of truth of a run's outcome. `report.json` is this value
/// encoded by `ReportJSON`; the Markdown and HTML forms are rendered from it alone, so a stored
/// report re-renders byte for byte. Every list is in a fixed order; nothing in it reads a clock.
public struct GardenerReport: Codable, Sendable, Hashable {
    /// The schema version of this JSON form.
    public static let schemaVersion = "testshard-report/1"

    /// Always `schemaVersion` for reports written by this version.
    public var schema: String
    public var run: RunInfo
    /// GREEN / RED / INCOMPLETE / CUT SHORT, with the suggested exit status.
    public var verdict: ReportVerdict
    /// Counts with Δ, failures by cause and by history, top clusters, carried-forward notes.
    public var summary: ReportSummary
    /// `[[area]]` coverage status.
    public var areas: [AreaReport]
    /// `[[category]]` counts (which categories ran).
    public var categories: [CategoryReport]
    public var workers: [WorkerReport]
    /// Shard attempts, problems first, then by start time.
    public var shards: [ShardReport]
    /// Every expected file with its one final state, by path.
    public var files: [FileReport]
    /// Every test whose verdict is not a plain pass or skip, plus tests FIXED since the previous
    /// run and failing tests of the previous run that did not run now; by id.
    public var tests: [TestReport]
    /// Failure clusters by priority (highest first).
    public var clusters: [ClusterReport]
    /// Flaky tests: retry-pass in this run or labelled flaky by history; by θ.
    public var flaky: [FlakyTestReport]
    /// FIXED since the previous comparable run (tests and clusters).
    public var fixed: FixedReport
    /// Expected vs received: every file without a result and why.
    public var coverage: CoverageReport
    public var quarantine: QuarantineReport
    /// For a rerun: per test of the parent that failed, "fixed by rerun" or "still failing".
    public var reruns: [RerunOutcome]
    /// Ranked next actions.
    public var nextActions: [NextAction]
    public var appendix: ReportAppendix

    init(
        run: RunInfo,
        verdict: ReportVerdict,
        summary: ReportSummary,
        areas: [AreaReport],
        categories: [CategoryReport],
        workers: [WorkerReport],
        shards: [ShardReport],
        files: [FileReport],
        tests: [TestReport],
        clusters: [ClusterReport],
        flaky: [FlakyTestReport],
        fixed: FixedReport,
        coverage: CoverageReport,
        quarantine: QuarantineReport,
        reruns: [RerunOutcome],
        nextActions: [NextAction],
        appendix: ReportAppendix
    ) {
        self.schema = Self.schemaVersion
        self.run = run
        self.verdict = verdict
        self.summary = summary
        self.areas = areas
        self.categories = categories
        self.workers = workers
        self.shards = shards
        self.files = files
        self.tests = tests
        self.clusters = clusters
        self.flaky = flaky
        self.fixed = fixed
        self.coverage = coverage
        self.quarantine = quarantine
        self.reruns = reruns
        self.nextActions = nextActions
        self.appendix = appendix
    }
}

/// The run's identity and time measures.
public struct RunInfo: Codable, Sendable, Hashable {
    public var id: String
    public var kind: RunKind
    public var parentRunId: String?
    public var suite: String
    public var revision: String?
    public var branch: String?
    public var profile: String?
    public var categoriesSelected: [String]
    public var startedAt: Double
    public var endedAt: Double
    public var endReason: RunEndReason
    public var deadlineSeconds: Double?
    /// Wall-clock makespan.
    public var wallSeconds: Double
    /// Summed shard-attempt durations over all workers.
    public var workerSeconds: Double
    /// The previous comparable run (for a rerun: the parent).
    public var comparedWith: String?
    public var comparedWithStartedAt: Double?
    /// `reason-v1`.
    public var normalizer: String
    /// `sha256:` of the triage rules, masks and normalizer version in force.
    public var rulesHash: String
    /// Whether more than 80% of the decided tests failed: the store keeps it
    /// (`HistoricalRun.massFailure`) so this run's verdicts are left out of later flakiness scores.
    public var massFailure: Bool
}

/// The overall outcome.
public struct ReportVerdict: Codable, Sendable, Hashable {
    /// The four outcomes, worst first.
    public enum Status: String, Codable, Sendable, Hashable {
        /// Ended early (deadline, interrupt) with files left without a result.
        case cutShort = "cut_short"
        /// Tests failed (quarantined failures do not count).
        case red
        /// No failures, but some files have no result.
        case incomplete
        /// Every file has a result and none failed (flaky and quarantined allowed).
        case green

        /// The label in the verdict line.
        public var label: String {
            switch self {
            case .cutShort: "CUT SHORT"
            case .red: "RED"
            case .incomplete: "INCOMPLETE"
            case .green: "GREEN"
            }
        }
    }

    public var status: Status
    /// One line: `RED — 3 new clusters, 2 critical areas degraded, 41 files not run (timeouts).`
    public var line: String
    /// What the coordinator should exit with: 0 all passed, 1 tests failed, 3 the run could not
    /// give every file a result (3 wins over 1). Quarantined failures and quarantined files
    /// without a result do not count.
    public var exitStatus: Int32
}
