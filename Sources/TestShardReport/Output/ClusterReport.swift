import TestShardModel

/// One failure cluster: every failure with the same normalized signature (worklog §4).
public struct ClusterReport: Codable, Sendable, Hashable {
    /// The signature id, `r1:…` (stable across runs while the normalizer version stays).
    public var id: String
    public var algorithm: String
    /// The normalized text (also the title).
    public var normalized: String
    public var exceptionType: String
    /// The first raw message (in file/test order), for display.
    public var exampleRaw: String
    /// Up to three distinct raw messages.
    public var rawExamples: [String]
    /// The test or file the example came from.
    public var exampleFrom: String
    /// For shard-level clusters (no test results): the exit kind and the last output lines.
    public var exitKind: ShardExitKind?
    public var lastLogLines: [String]

    public var category: CauseCategory
    /// Why: `exit_kind:lost`, `rule:<id>`, `builtin:<id>`, `heuristic:worker_concentration`,
    /// `heuristic:mass_failure`, `heuristic:setup_error`, `heuristic:assertion`, `default`.
    public var categorySource: String
    public var severity: Severity
    public var status: HistoryStatus
    /// Consecutive comparable runs with this cluster, this one included.
    public var ageRuns: Int
    public var sinceRun: String?
    public var firstSeenRun: String
    public var firstSeenAt: Double

    public var failures: Int
    public var files: [String]
    public var tests: [String]
    /// `shard#attempt` of every attempt it occurred in.
    public var shards: [String]
    public var workers: [WorkerShare]
    /// The worker with ≥ 80% of the failures (over ≥ 2 shard attempts), if any: likely its problem.
    public var suspectWorker: String?
    public var areas: [String]
    /// Files that ended without a result because of it (timeouts, crashes, lost workers).
    public var filesWithoutResult: [String]
    /// Whether it cost coverage (files without result).
    public var blocksCoverage: Bool
    /// Whether every failure in it was a test that passed on retry.
    public var flakyOnly: Bool
    /// Whether every failure in it was in a quarantined test or file.
    public var quarantinedOnly: Bool
    /// Whether every occurrence recovered (its items got results on a later attempt).
    public var recovered: Bool
    /// Seconds from run start of the first and last occurrence.
    public var firstAtOffset: Double
    public var lastAtOffset: Double
    /// Worker-seconds spent on its failures (failed attempts and failed shards).
    public var costSeconds: Double

    public var priority: Double
    public var nextAction: String
    public var repro: ReproCommand?
    public var notes: String?
}

/// A worker's share of a cluster's failures.
public struct WorkerShare: Codable, Sendable, Hashable {
    public var worker: String
    public var failures: Int
    public var fraction: Double
}

/// How to reproduce a failure on one file.
public struct ReproCommand: Codable, Sendable, Hashable {
    public var file: String
    /// The shard attempt whose command it is derived from.
    public var shard: String?
    public var worker: String?
    /// The worker's exact argv with the shard's items replaced by the one file.
    public var argv: [String]
    /// `argv` shell-quoted, ready to paste.
    public var command: String
    /// Anything the command alone does not say (a runner that reads items from a file).
    public var note: String?
}
