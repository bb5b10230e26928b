import Foundation
import TestShardModel

/// Builds the gardener report from a run snapshot. Pure: the same snapshot always gives the same
/// report, with no clock, file or network access.
///
/// ```
///  1 configuration  (masks, rules, globs, quarantine; bad values become appendix warnings)
///  2 inventory      (areas and categories per expected file)
///  3 tests          (attempts → verdict per test; quarantine)
///  4 file states    (every expected file gets exactly one)
///  5 occurrences    (failed attempts, failed shards without results, collection errors)
///  6 clusters       (by reason-v1 signature; scope, workers, coverage cost)
///  7 categories     (§8.6, first match wins)
///  8 tests vs history (verdicts, flakiness, NEW/ONGOING/REGRESSED/FLAKY-HIT/FIXED)
///  9 clusters vs history
/// 10 areas          (COVERED / DEGRADED / BLIND)
/// 11 severity, priority, next action, repro per cluster
/// 12 sections       (shards, workers, coverage, summary, verdict, next actions, appendix)
/// ```
public enum ReportBuilder {
    /// Builds the report for `snapshot`. Never fails: configuration values it cannot use are
    /// skipped and listed in `appendix.warnings`.
    public static func build(_ snapshot: RunSnapshot) -> GardenerReport {
        var assembly = ReportAssembly(snapshot)
        assembly.prepareConfiguration()
        assembly.indexInventory()
        assembly.aggregateTests()
        assembly.assignFileStates()
        assembly.collectOccurrences()
        assembly.formClusters()
        assembly.classifyClusters()
        assembly.scoreTests()
        assembly.judgeClusterHistory()
        assembly.measureAreas()
        assembly.rankClusters()
        return assembly.makeReport()
    }
}

/// The builder's working state; each stage fills in what the later ones read.
struct ReportAssembly {
    let snapshot: RunSnapshot
    var thresholds: ReportThresholds { snapshot.configuration.thresholds }

    // 1. Configuration
    var warnings: [String] = []
    var normalizer = SignatureNormalizer()
    var rules: [CompiledRule] = []
    var areaGlobs: [(AreaDefinition, [PrefixedGlob])] = []
    var categoryGlobs: [(CategoryDefinition, [PrefixedGlob])] = []
    var reportDay = CalendarDay(epochSeconds: 0)
    var activeQuarantine: [String: QuarantineEntry] = [:]
    var expiredQuarantine: [QuarantineEntry] = []
    /// Whether some active entry names a test or class (`file::…`), so prefixes must be searched.
    var quarantineHasClassEntries = false
    var signatureCache: [String: FailureSignature] = [:]

    // 2. Inventory
    var files: [FileInfo] = []
    var fileIndex: [String: Int] = [:]
    var shardByKey: [String: ShardAttemptRecord] = [:]
    /// Index into `snapshot.shardAttempts` by shard id and attempt.
    var shardSlot: [ShardRef: Int] = [:]
    /// `shard#attempt` per index of `snapshot.shardAttempts`.
    var shardKeys: [String] = []
    var runWorkerCount = 0

    // 3. Tests
    var attempts: [TestAttemptRecord] = []
    /// Step 0 text of each failed attempt (index into `attempts`).
    var failureTexts: [FailureText?] = []
    var tests: [TestUnit] = []
    var testIndex: [String: Int] = [:]
    /// The shard (index into `snapshot.shardAttempts`) of each attempt; -1 when unknown.
    var attemptShard: [Int] = []
    /// Attempts per shard index.
    var attemptsByShard: [[Int]] = []
    var outsideInventory: Set<String> = []

    // 5–7. Occurrences and clusters
    var occurrences: [Occurrence] = []
    var clusters: [ClusterWork] = []
    var clusterIndex: [String: Int] = [:]
    var runMassFailure = false

    // 8. History
    /// The cluster of each failed attempt (index into `attempts`).
    var attemptCluster: [String?] = []
    var testReports: [TestReport] = []
    var fixedTests: [FixedTest] = []
    var rerunOutcomes: [RerunOutcome] = []

    // 10. Areas
    var areas: [AreaReport] = []

    init(_ snapshot: RunSnapshot) {
        self.snapshot = snapshot
    }

    /// `shard#attempt`, the key of a shard attempt everywhere in the report.
    static func shardKey(_ shardId: String, _ attempt: Int) -> String { "\(shardId)#\(attempt)" }

    /// The `shard#attempt` key of a test attempt, when its shard is known.
    func shardKey(ofAttempt index: Int) -> String? {
        let slot = attemptShard[index]
        return slot >= 0 ? shardKeys[slot] : nil
    }

    /// The shard record of a test attempt, when known.
    func shard(ofAttempt index: Int) -> ShardAttemptRecord? {
        let slot = attemptShard[index]
        return slot >= 0 ? snapshot.shardAttempts[slot] : nil
    }
}

/// A shard attempt's identity, hashed without building a string.
struct ShardRef: Hashable {
    var id: String
    var attempt: Int
}

/// One test's attempts in this run.
struct TestUnit {
    var id: String
    var file: String
    var name: String
    /// Indices into `ReportAssembly.attempts`, in retry order.
    var attempts: [Int] = []
    var verdict: TestVerdict = .skipped
    /// Every attempt was a collection error: the file did not collect; not counted as a test.
    var collectionOnly = false
    /// The active quarantine entry that covers it.
    var quarantineEntry: String?
}

/// An expected file while its state is worked out.
struct FileInfo {
    var path: String
    var areas: [String]
    var categories: [String]
    var estimate: Double?
    var state: FileState = .passed
    var notRunReason: NotRunReason?
    var incompleteReason: NotRunReason?
    var detail: String?
    var notRunShard: String?
    var tests = AttemptCounts()
    var duration = 0.0
    /// Indices into `snapshot.shardAttempts`.
    var shards: Set<Int> = []
    var quarantined = false
    var clusters: Set<String> = []
    var effectivelyTested = true
    var testIds: [Int] = []
    var collectionFailures: [Int] = []
}

/// One failure: a failed test attempt, a shard that ended without results for some files, or a
/// collection error found before any shard ran.
struct Occurrence {
    var signature: FailureSignature
    /// The test attempt (index into `ReportAssembly.attempts`) it came from, if any.
    var attemptIndex: Int?
    /// The raw message, for display.
    var raw: String
    var testId: String?
    /// The file it is attributed to (ordering, examples).
    var file: String
    /// Files it affected (for a recovered shard-level failure: none).
    var files: [String]
    var shardKey: String?
    var workerId: String?
    var at: Double
    var cost: Double
    var phase: TestPhase?
    var exitKind: ShardExitKind?
    var flakyTest: Bool
    var quarantined: Bool
    var logTail: [String]
    var lastLine: String?
}

/// A cluster while it is being scored.
struct ClusterWork {
    var signature: FailureSignature
    var occurrences: [Int] = []
    var report: ClusterReport
    var rule: CompiledRule?
    /// `A`: the highest criticality weight of the areas it hit.
    var areaWeight = 1.0
}
