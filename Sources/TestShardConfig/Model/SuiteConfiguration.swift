import TestShardModel

/// A suite's configuration, read from `testshard.toml` at the suite root or from `[tool.testshard]` in
/// `pyproject.toml` (the same schema under that table). Every value is checked when it is loaded, so
/// the rest of TestShard holds typed, valid values: globs, a command template, durations in seconds,
/// compiled regular expressions.
///
/// ```toml
/// [suite]
/// runner = "pytest"                      # pytest | node | swift | junit
/// include = ["tests/**/test_*.py"]
/// command = "python3 -m pytest -q --junitxml={junit} {files}"
/// shard_timeout = "20m"
///
/// [[area]]
/// id = "chat"
/// criticality = "critical"
/// globs = ["tests/chat/**"]
/// ```
///
/// Load it with `load(file:)` or `locate(in:)` + `load(file:)`; `parse(_:file:root:pyproject:)` is the
/// pure form. The fields are `var` so a command line can override them (e.g. `--retries`).
public struct SuiteConfiguration: Sendable, Hashable {
    /// The config file, as it was named when loading.
    public var file: String
    /// The suite root (the folder holding the config file), absolute: globs, items and paths are
    /// relative to it.
    public var root: String
    /// Whether the config came from `[tool.testshard]` in `pyproject.toml`.
    public var isPyproject: Bool

    // MARK: [suite]

    /// The suite's name (`suite.name`; default: the root folder's name).
    public var name: String
    /// The test runner (`suite.runner`; default pytest).
    public var runner: RunnerKind
    /// Test files to run (`suite.include`; default depends on the runner).
    public var include: [Glob]
    /// Files never run even when included (`suite.exclude`).
    public var exclude: [Glob]
    /// The command that runs one shard (`suite.command`; default depends on the runner).
    public var command: CommandTemplate
    /// Seconds a shard may run before it is killed (`suite.shard_timeout`; default 20 min).
    public var shardTimeoutSeconds: Double
    /// How many times a failed test is retried (`suite.retries`; default 1).
    public var retries: Int
    /// Environment variables set for every command (`suite.env`).
    public var env: [String: String]

    // MARK: Other tables

    /// `[coordinator]`.
    public var coordinator: CoordinatorConfiguration
    /// `[[area]]`, in config order.
    public var areas: [AreaConfiguration]
    /// `[[category]]`, in config order.
    public var categories: [CategoryConfiguration]
    /// `[profile.NAME]`, sorted by name.
    public var profiles: [ProfileConfiguration]
    /// `[[affects]]`, in config order.
    public var affects: [AffectsConfiguration]
    /// `[[triage_rule]]`, in config order (the first match wins).
    public var triageRules: [TriageRuleConfiguration]
    /// `[[quarantine]]`, in config order.
    public var quarantine: [QuarantineConfiguration]
    /// `[report]`.
    public var report: ReportConfiguration
    /// `[tls]`, when configured.
    public var tls: TLSFilesConfiguration?

    /// The suite's files: `include` minus `exclude`.
    public var files: GlobSet { GlobSet(include: include, exclude: exclude) }

    public init(
        file: String,
        root: String,
        isPyproject: Bool = false,
        name: String,
        runner: RunnerKind,
        include: [Glob],
        exclude: [Glob] = [],
        command: CommandTemplate,
        shardTimeoutSeconds: Double = 1200,
        retries: Int = 1,
        env: [String: String] = [:],
        coordinator: CoordinatorConfiguration = .defaults,
        areas: [AreaConfiguration] = [],
        categories: [CategoryConfiguration] = [],
        profiles: [ProfileConfiguration] = [],
        affects: [AffectsConfiguration] = [],
        triageRules: [TriageRuleConfiguration] = [],
        quarantine: [QuarantineConfiguration] = [],
        report: ReportConfiguration = .defaults,
        tls: TLSFilesConfiguration? = nil
    ) {
        self.file = file
        self.root = root
        self.isPyproject = isPyproject
        self.name = name
        self.runner = runner
        self.include = include
        self.exclude = exclude
        self.command = command
        self.shardTimeoutSeconds = shardTimeoutSeconds
        self.retries = retries
        self.env = env
        self.coordinator = coordinator
        self.areas = areas
        self.categories = categories
        self.profiles = profiles
        self.affects = affects
        self.triageRules = triageRules
        self.quarantine = quarantine
        self.report = report
        self.tls = tls
    }
}
