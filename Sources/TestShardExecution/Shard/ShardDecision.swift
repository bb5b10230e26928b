import TestShardModel

/// The interpretation of a shard attempt (pure: no clock, no files).
struct ShardDecision: Sendable, Hashable {
    var exit: ShardExit
    var tests: [TestCaseResult]
    var itemsWithoutResults: [WorkItem]
    var itemsWithoutTests: [WorkItem]
    var lastStartedItem: WorkItem?
    var lastStartedTest: String?
    var testsOutsideItems: [String]
    var recoveredTests: Int
}
