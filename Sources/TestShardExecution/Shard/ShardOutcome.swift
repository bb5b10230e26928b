import TestShardJUnit
import TestShardModel

/// How one shard attempt ended, item by item: what the worker sends back as its shard result.
public struct ShardOutcome: Sendable, Hashable {
    /// How the attempt ended as a whole, with a one-line reason for anything but ok/tests failed.
    public var exit: ShardExit
    /// Every test result of the attempt (from the JUnit, or recovered from pytest's progress log
    /// when the JUnit was not written).
    public var tests: [TestCaseResult]
    /// Items the attempt did not finish: they need another run (split smaller when the coordinator
    /// isolates a culprit). Includes an item that was still running when the shard was killed,
    /// even if some of its tests had finished.
    public var itemsWithoutResults: [WorkItem]
    /// Items the command finished normally but that produced no test (an empty or fully deselected
    /// file): they are done.
    public var itemsWithoutTests: [WorkItem]
    /// The item that was running when the shard ended abnormally (the hang suspect), when known.
    public var lastStartedItem: WorkItem?
    /// The test (suite-root id) that was running then, or the file whose collection was.
    public var lastStartedTest: String?
    /// Ids of tests that no item explains (a conftest collecting elsewhere, a mapping problem).
    public var testsOutsideItems: [String]
    /// The last lines of the command's output.
    public var logTail: [String]
    /// The argument vector that was run (empty when the shard was refused before).
    public var command: [String]
    /// Seconds since the epoch, from the clock the executor was given.
    public var startedAt: Double
    public var endedAt: Double
    /// What the JUnit file turned out to be; `nil` when the command never ran.
    public var junitState: JUnitFileState?
    /// Why the JUnit file was not `ok`.
    public var junitReason: String?
    /// How many results came from the progress log rather than the JUnit.
    public var recoveredTests: Int
    /// Where the full output is, on the worker.
    public var logPath: String?
    /// pytest only: seconds each file occupied the process, from the progress plugin's timestamps
    /// (`PytestProgress.fileSeconds`); empty for other runners.
    public var fileSeconds: [String: Double]

    public init(
        exit: ShardExit,
        tests: [TestCaseResult] = [],
        itemsWithoutResults: [WorkItem] = [],
        itemsWithoutTests: [WorkItem] = [],
        lastStartedItem: WorkItem? = nil,
        lastStartedTest: String? = nil,
        testsOutsideItems: [String] = [],
        logTail: [String] = [],
        command: [String] = [],
        startedAt: Double,
        endedAt: Double,
        junitState: JUnitFileState? = nil,
        junitReason: String? = nil,
        recoveredTests: Int = 0,
        logPath: String? = nil,
        fileSeconds: [String: Double] = [:]
    ) {
        self.exit = exit
        self.tests = tests
        self.itemsWithoutResults = itemsWithoutResults
        self.itemsWithoutTests = itemsWithoutTests
        self.lastStartedItem = lastStartedItem
        self.lastStartedTest = lastStartedTest
        self.testsOutsideItems = testsOutsideItems
        self.logTail = logTail
        self.command = command
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.junitState = junitState
        self.junitReason = junitReason
        self.recoveredTests = recoveredTests
        self.logPath = logPath
        self.fileSeconds = fileSeconds
    }
}
