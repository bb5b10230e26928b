import TestShardModel

/// Worker → coordinator: how a shard attempt ended and every test result it produced.
///
/// Items are accounted for three ways so that nothing is silently lost: `tests` holds what the
/// runner reported, `items_without_results` the items the runner never got to (the coordinator
/// requeues them), `items_without_tests` the items that ran but contain no tests.
public struct ShardResultMessage: Hashable, Sendable {
    public var shardID: String
    public var attempt: Int
    /// The worker slot (0-based) that ran it.
    public var slot: Int
    /// Unix seconds.
    public var startedAt: Double
    /// Unix seconds.
    public var endedAt: Double
    /// How the command ended as a whole.
    public var exit: ShardExit
    /// Every test attempt parsed from the runner's JUnit XML.
    public var tests: [TestCaseResult]
    /// Items of the shard that have no result (the runner stopped early, crashed or timed out).
    public var itemsWithoutResults: [WorkItem]
    /// Items that ran but hold no tests (the runner collected nothing from them).
    public var itemsWithoutTests: [WorkItem]
    /// The item the runner was on when it ended, when known: the suspect after a crash or timeout.
    public var lastStartedItem: WorkItem?
    /// The last lines of the command's output, already bounded by the worker.
    public var logTail: [String]
    /// The argument vector that ran.
    public var command: [String]
    /// What the JUnit file looked like.
    public var junitState: JUnitState
    /// pytest only: for each file the shard collected, the seconds it occupied the process —
    /// its collection plus each of its tests from start to finish (suite-relative path → seconds).
    /// Far more than the tests' JUnit times for small files, whose cost is import and collection;
    /// the coordinator records it as the file's duration. Empty from other runners (and older
    /// workers: the key is optional on the wire).
    public var fileSeconds: [String: Double]

    public init(
        shardID: String,
        attempt: Int,
        slot: Int,
        startedAt: Double,
        endedAt: Double,
        exit: ShardExit,
        tests: [TestCaseResult],
        itemsWithoutResults: [WorkItem] = [],
        itemsWithoutTests: [WorkItem] = [],
        lastStartedItem: WorkItem? = nil,
        logTail: [String] = [],
        command: [String],
        junitState: JUnitState,
        fileSeconds: [String: Double] = [:]
    ) {
        self.shardID = shardID
        self.attempt = attempt
        self.slot = slot
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.exit = exit
        self.tests = tests
        self.itemsWithoutResults = itemsWithoutResults
        self.itemsWithoutTests = itemsWithoutTests
        self.lastStartedItem = lastStartedItem
        self.logTail = logTail
        self.command = command
        self.junitState = junitState
        self.fileSeconds = fileSeconds
    }
}

extension ShardResultMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case shardID = "shard_id"
        case attempt
        case slot
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case exit
        case tests
        case itemsWithoutResults = "items_without_results"
        case itemsWithoutTests = "items_without_tests"
        case lastStartedItem = "last_started_item"
        case logTail = "log_tail"
        case command
        case junitState = "junit_state"
        case fileSeconds = "file_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.shardID = try container.decodeShardID(forKey: .shardID)
        self.attempt = try container.decodeAttempt(forKey: .attempt)
        self.slot = try container.decodeInt(forKey: .slot, in: 0...HelloMessage.maximumSlots)
        self.startedAt = try container.decode(Double.self, forKey: .startedAt)
        self.endedAt = try container.decode(Double.self, forKey: .endedAt)
        self.exit = try container.decode(ShardExit.self, forKey: .exit)
        self.tests = try container.decode([WireTestCaseResult].self, forKey: .tests).map(\.value)
        self.itemsWithoutResults = try container.decode([WorkItem].self, forKey: .itemsWithoutResults)
        self.itemsWithoutTests = try container.decode([WorkItem].self, forKey: .itemsWithoutTests)
        self.lastStartedItem = try container.decodeIfPresent(WorkItem.self, forKey: .lastStartedItem)
        self.logTail = try container.decode([String].self, forKey: .logTail)
        self.command = try container.decode([String].self, forKey: .command)
        self.junitState = try container.decode(JUnitState.self, forKey: .junitState)
        self.fileSeconds = try container.decodeIfPresent([String: Double].self, forKey: .fileSeconds) ?? [:]
        for (file, seconds) in fileSeconds where file.isEmpty || !(seconds >= 0) || !seconds.isFinite {
            throw container.invalid(
                .fileSeconds,
                "must map file paths to seconds ≥ 0, got \(LogText.quoted(file)): \(seconds)"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(shardID, forKey: .shardID)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(slot, forKey: .slot)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(endedAt, forKey: .endedAt)
        try container.encode(exit, forKey: .exit)
        try container.encode(tests.map(WireTestCaseResult.init), forKey: .tests)
        try container.encode(itemsWithoutResults, forKey: .itemsWithoutResults)
        try container.encode(itemsWithoutTests, forKey: .itemsWithoutTests)
        try container.encode(lastStartedItem, forKey: .lastStartedItem)
        try container.encode(logTail, forKey: .logTail)
        try container.encode(command, forKey: .command)
        try container.encode(junitState, forKey: .junitState)
        if !fileSeconds.isEmpty { try container.encode(fileSeconds, forKey: .fileSeconds) }
    }
}

/// `TestCaseResult` with the wire's snake_case keys (the model type's own Codable uses Swift
/// names, e.g. `skipReason`, and belongs to the model module).
struct WireTestCaseResult: Codable {
    var value: TestCaseResult

    init(_ value: TestCaseResult) {
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case id, file, classname, name, status, duration, failure
        case skipReason = "skip_reason"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.value = TestCaseResult(
            id: try container.decode(String.self, forKey: .id),
            file: try container.decode(String.self, forKey: .file),
            classname: try container.decode(String.self, forKey: .classname),
            name: try container.decode(String.self, forKey: .name),
            status: try container.decode(TestStatus.self, forKey: .status),
            duration: try container.decode(Double.self, forKey: .duration),
            failure: try container.decodeIfPresent(TestFailure.self, forKey: .failure),
            skipReason: try container.decodeIfPresent(String.self, forKey: .skipReason)
        )
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value.id, forKey: .id)
        try container.encode(value.file, forKey: .file)
        try container.encode(value.classname, forKey: .classname)
        try container.encode(value.name, forKey: .name)
        try container.encode(value.status, forKey: .status)
        try container.encode(value.duration, forKey: .duration)
        try container.encode(value.failure, forKey: .failure)
        try container.encode(value.skipReason, forKey: .skipReason)
    }
}
