import TestShardModel

/// The parts of `testshard.toml` the report reads. The config module parses the file; the
/// coordinator copies these values in. Regexes and globs are kept as text so the snapshot stays
/// Codable; `validate()` checks them up front, and the builder skips (and reports) any that are bad.
public struct ReportConfiguration: Codable, Sendable, Hashable {
    /// Absolute suite roots as the workers saw them (`--root`), stripped from paths in error
    /// messages (normalization step 3) so the same failure on two hosts has one signature.
    public var repoRoots: [String]
    /// `[[area]]` entries: business areas that drive coverage status and severity.
    public var areas: [AreaDefinition]
    /// `[[category]]` entries (unit, integration, api, …).
    public var categories: [CategoryDefinition]
    /// `[[triage_rule]]` entries, in config order (first match wins).
    public var triageRules: [TriageRule]
    /// Whether the built-in rule pack for Python harnesses (Docker, compose, config drift, imports,
    /// fixtures, ports, timeouts) applies after the config's own rules.
    public var builtinRules: Bool
    /// `[[quarantine]]` entries: file paths or test ids that still run but do not fail the run.
    public var quarantine: [QuarantineEntry]
    /// Project masks for the normalizer (see `ProjectMask`).
    public var masks: [String]
    /// The day quarantine expiry is checked against, `YYYY-MM-DD`; when `nil`, the UTC day the run
    /// started.
    public var reportDate: String?
    /// `[suite] retries`: how often a failed test was retried.
    public var retries: Int
    /// `[suite] shard_timeout` in seconds, shown in the execution log.
    public var shardTimeoutSeconds: Double?
    /// Thresholds for flakiness, history and coverage status.
    public var thresholds: ReportThresholds

    public init(
        repoRoots: [String] = [],
        areas: [AreaDefinition] = [],
        categories: [CategoryDefinition] = [],
        triageRules: [TriageRule] = [],
        builtinRules: Bool = true,
        quarantine: [QuarantineEntry] = [],
        masks: [String] = [],
        reportDate: String? = nil,
        retries: Int = 0,
        shardTimeoutSeconds: Double? = nil,
        thresholds: ReportThresholds = ReportThresholds()
    ) {
        self.repoRoots = repoRoots
        self.areas = areas
        self.categories = categories
        self.triageRules = triageRules
        self.builtinRules = builtinRules
        self.quarantine = quarantine
        self.masks = masks
        self.reportDate = reportDate
        self.retries = retries
        self.shardTimeoutSeconds = shardTimeoutSeconds
        self.thresholds = thresholds
    }
}

/// How much it matters when an area goes untested.
public enum AreaCriticality: String, Codable, Sendable, Hashable, CaseIterable {
    case critical
    case high
    case normal

    /// The `A` factor of the priority score (report-anchors §8.7).
    public var weight: Double {
        switch self {
        case .critical: 3
        case .high: 2
        case .normal: 1
        }
    }
}

/// One `[[area]]`.
public struct AreaDefinition: Codable, Sendable, Hashable {
    public var id: String
    public var criticality: AreaCriticality
    public var owner: String?
    /// Globs relative to the suite root; used for files whose `areas` the coordinator left `nil`.
    public var globs: [String]

    public init(id: String, criticality: AreaCriticality = .normal, owner: String? = nil, globs: [String]) {
        self.id = id
        self.criticality = criticality
        self.owner = owner
        self.globs = globs
    }
}

/// One `[[category]]`.
public struct CategoryDefinition: Codable, Sendable, Hashable {
    public var id: String
    public var globs: [String]

    public init(id: String, globs: [String]) {
        self.id = id
        self.globs = globs
    }
}

/// One quarantine entry: a file path (every test in it) or a test id (that test, or every test
/// under it when it names a class: `tests/a.py::TestX`).
public struct QuarantineEntry: Codable, Sendable, Hashable {
    public var id: String
    public var reason: String
    /// The last day the entry applies, `YYYY-MM-DD`; after it the entry is expired, no longer
    /// hides failures, and the report lists it.
    public var expires: String?

    public init(id: String, reason: String, expires: String? = nil) {
        self.id = id
        self.reason = reason
        self.expires = expires
    }
}

/// Thresholds from report-anchors §8 (LUCI's published defaults). They are part of the input so
/// they can be tuned per suite and are printed in the report's appendix.
public struct ReportThresholds: Codable, Sendable, Hashable {
    /// W: how many comparable runs (this one included) the flakiness score looks at.
    public var window: Int
    /// Recency half-life in runs: a verdict `age` runs old weighs `0.5^(age/halfLife)`.
    public var halfLifeRuns: Double
    /// Beta prior `a` (flaky evidence).
    public var priorA: Double
    /// Beta prior `b` (clean runs).
    public var priorB: Double
    /// Fewer non-excluded verdicts than this → `insufficient`.
    public var minimumVerdicts: Int
    /// This many newest non-excluded verdicts all `F` → `failing`.
    public var consecutiveFailures: Int
    /// At least this many `F`/`K` among the newest 10 non-excluded verdicts → `failing`.
    public var failuresOfLastTen: Int
    /// Raw flake evidence count needed for `flaky`.
    public var flakeEvidence: Int
    /// θ needed for `flaky`.
    public var flakeRate: Double
    /// A `flaky` label clears after this many consecutive `P` verdicts.
    public var recoveryPasses: Int
    /// A cluster with at least this share of its failures on one worker points at that worker.
    public var workerConcentration: Double
    /// …counted only when the cluster has at least this many failures over two or more shard attempts.
    public var workerConcentrationMinimum: Int
    /// A signature failing more than this share of the run's files is a mass failure…
    public var massFailureFiles: Double
    /// …when it hits at least this many files (in a small suite a share says little).
    public var massFailureMinimumFiles: Int
    /// More than this share of all decided tests failing makes the whole run a mass failure.
    public var massFailureTests: Double
    /// An area is BLIND when at least this share of its files did not effectively run.
    public var blindFraction: Double
    /// A signature last seen longer ago than this (days) counts as NEW again, not REGRESSED.
    public var newSignatureDays: Double
    /// FIXED stays "unconfirmed" for a flaky unit until this many clean runs.
    public var fixedConfirmRuns: Int

    public init(
        window: Int = 30,
        halfLifeRuns: Double = 10,
        priorA: Double = 0.25,
        priorB: Double = 4.75,
        minimumVerdicts: Int = 5,
        consecutiveFailures: Int = 3,
        failuresOfLastTen: Int = 6,
        flakeEvidence: Int = 2,
        flakeRate: Double = 0.01,
        recoveryPasses: Int = 10,
        workerConcentration: Double = 0.8,
        workerConcentrationMinimum: Int = 3,
        massFailureFiles: Double = 0.5,
        massFailureMinimumFiles: Int = 10,
        massFailureTests: Double = 0.8,
        blindFraction: Double = 0.5,
        newSignatureDays: Double = 21,
        fixedConfirmRuns: Int = 3
    ) {
        self.window = window
        self.halfLifeRuns = halfLifeRuns
        self.priorA = priorA
        self.priorB = priorB
        self.minimumVerdicts = minimumVerdicts
        self.consecutiveFailures = consecutiveFailures
        self.failuresOfLastTen = failuresOfLastTen
        self.flakeEvidence = flakeEvidence
        self.flakeRate = flakeRate
        self.recoveryPasses = recoveryPasses
        self.workerConcentration = workerConcentration
        self.workerConcentrationMinimum = workerConcentrationMinimum
        self.massFailureFiles = massFailureFiles
        self.massFailureMinimumFiles = massFailureMinimumFiles
        self.massFailureTests = massFailureTests
        self.blindFraction = blindFraction
        self.newSignatureDays = newSignatureDays
        self.fixedConfirmRuns = fixedConfirmRuns
    }
}
