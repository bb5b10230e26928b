import TestShardJUnit
import TestShardModel

/// What the shell observed about one shard attempt, before interpretation.
struct ShardEvidence: Sendable {
    var items: [WorkItem]
    var runner: ShardRunnerKind
    var termination: ProcessOutcome.Termination
    var timedOut: Bool
    var cancelled: Bool
    var timeout: Double
    var junit: JUnitReadResult
    /// Results recovered from pytest's progress log (suite-root ids), empty for other runners.
    var progressResults: [TestCaseResult] = []
    /// Tests (suite-root ids) that started and never finished, in start order.
    var unfinishedTests: [String] = []
    /// The test file (suite-root path) whose collection started and never reported.
    var unfinishedCollection: String? = nil
    var logTail: [String] = []
}
