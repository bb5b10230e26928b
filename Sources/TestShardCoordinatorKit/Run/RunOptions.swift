import TestShardModel

/// What `run` (and `rerun`, `run --resume`) was asked to do, after the command line was parsed.
public struct RunOptions: Sendable {
    /// The suite's config file (`testshard.toml` or `pyproject.toml`).
    public var configFile: String
    /// Worker processes to start on loopback (the embedded mode).
    public var localWorkers: Int = 0
    /// Slots each local worker runs.
    public var localWorkerSlots: Int = 1
    /// Where remote workers connect; `nil` with local workers only binds 127.0.0.1 on a free port.
    public var listen: HostPort? = nil
    /// Where report files go; default `<root>/.testshard/runs/<run-id>/`.
    public var reportDirectory: String? = nil
    /// The history database; default `<root>/.testshard/history.sqlite`.
    public var database: String? = nil
    /// The shared token; generated for local workers when absent.
    public var tokenFile: String? = nil
    /// Hold dispatch until this many workers have joined.
    public var expectWorkers: Int = 0
    /// How long to hold for `expectWorkers` (default from config).
    public var expectWorkersTimeout: Double? = nil
    /// Refuse workers whose checkout is at another git revision (instead of warning).
    public var requireSameRevision = false
    /// Override of `retries` from the config.
    public var retries: Int? = nil
    /// Override of `shard_timeout` from the config.
    public var shardTimeout: Double? = nil
    /// Stop handing out work this many seconds after the start (`--deadline`).
    public var deadline: Double? = nil
    /// How long running shards may go on after the deadline.
    public var deadlineGrace: Double? = nil
    /// Categories to run (union); empty = all.
    public var categories: [String] = []
    /// The profile to apply on workers.
    public var profile: String? = nil
    /// Explicit files (relative to the suite root, or paths that resolve inside it).
    public var files: [String] = []
    /// A file listing files, one per line.
    public var filesFrom: String? = nil
    /// Files changed since this git revision (plus `[[affects]]` mappings).
    public var changedSince: String? = nil
    /// Continue this run after a coordinator crash.
    public var resume: String? = nil
    /// Rerun part of an earlier run.
    public var rerun: RerunSelection? = nil
    /// Skip the cheap pre-flight collection check.
    public var skipPreflight = false
    /// Mutual TLS from the command line (`--tls-ca`, `--tls-cert`, `--tls-key`); `nil` falls back to
    /// `[tls]` in the config, and plain TCP without either.
    public var tls: TLSSetup.Files? = nil
    /// How long a connection may take to finish its handshake (slow-loris bound); `nil` for the
    /// default of 10 s (`--handshake-timeout`).
    public var handshakeTimeout: Double? = nil
    /// Serve `/healthz` and `/metrics` here.
    public var metricsListen: HostPort? = nil
    /// Progress output: a live line on a terminal, a log line every `progressInterval` otherwise.
    public var progressInterval: Double = 10
    /// Extra environment for local workers (tests use it to make one worker slower).
    public var localWorkerEnvironment: [String: String] = [:]
    /// The worker binary for local workers (default: `testshard-worker` next to this binary).
    public var workerBinary: String? = nil

    public init(configFile: String) {
        self.configFile = configFile
    }

    /// How many shards can run at once, as far as is known before workers join: the local workers'
    /// slots plus one per expected remote worker; 8 when nothing says (for splitting giant files).
    var expectedSlots: Int {
        let known = localWorkers * localWorkerSlots + expectWorkers
        return known > 0 ? known : 8
    }
}

/// Which part of an earlier run `rerun --from` runs again.
public struct RerunSelection: Sendable, Hashable {
    public enum What: String, Sendable, Hashable {
        /// Tests that failed for good (and files that ended without results).
        case failed
        /// Tests that passed only on a retry.
        case flaky
        /// The items of one shard.
        case shard
    }

    public var parentRunID: String
    public var what: What
    /// For `.shard`: the shard id (`s0042`).
    public var shard: String?

    public init(parentRunID: String, what: What, shard: String? = nil) {
        self.parentRunID = parentRunID
        self.what = what
        self.shard = shard
    }
}

/// The coordinator's exit statuses (DESIGN.md → Coordinator CLI).
public enum CoordinatorExitStatus: Int32, Sendable {
    /// Every test passed (quarantined failures and flaky passes allowed).
    case passed = 0
    /// Tests failed.
    case testsFailed = 1
    /// Bad usage or config.
    case usage = 2
    /// The run could not give every file a result (lost, timed out alone, crashed, never ran).
    case incomplete = 3
    /// The run was cut short by `--deadline`; the report accounts for every file.
    case cutShort = 4
}
