import Foundation
import TestShardModel

/// Everything the worker's shell needs to run one shard attempt, as plain values.
public struct ShardRequest: Sendable {
    /// The suite root, absolute: items are relative to it and the command runs in it.
    public var suiteRoot: String
    /// The worker's own configured command (never one sent by the coordinator).
    public var command: CommandTemplate
    /// The shard's items, in the order they are handed to the runner.
    public var items: [WorkItem]
    /// The worker's include/exclude globs; an item outside them refuses the shard.
    public var include: GlobSet
    /// Seconds before the shard is torn down.
    public var timeout: Double
    /// A folder this attempt may use alone (items file, JUnit, log, progress, plugin); created if
    /// missing.
    public var scratchDirectory: String
    public var runner: ShardRunnerKind
    /// The profile's extra options, for the command's `{options}`.
    public var options: [String]
    /// Variables set on top of `baseEnvironment` (config or CLI).
    public var environment: [String: String]
    /// The environment the command starts from (normally the worker's own).
    public var baseEnvironment: [String: String]
    /// Seconds pytest gets, after SIGINT at the timeout, to write its JUnit.
    public var interruptGrace: Double
    /// How many of the output's last lines the outcome keeps.
    public var logTailLines: Int
    /// Tests (`file::test`) to leave out of whole-file items (pytest only: they run as items of
    /// their own in other shards).
    public var deselect: [WorkItem]

    public init(
        suiteRoot: String,
        command: CommandTemplate,
        items: [WorkItem],
        include: GlobSet,
        timeout: Double,
        scratchDirectory: String,
        runner: ShardRunnerKind = .pytest,
        options: [String] = [],
        environment: [String: String] = [:],
        baseEnvironment: [String: String] = ProcessInfo.processInfo.environment,
        interruptGrace: Double = 5,
        logTailLines: Int = 50,
        deselect: [WorkItem] = []
    ) {
        self.suiteRoot = suiteRoot
        self.command = command
        self.items = items
        self.include = include
        self.timeout = timeout
        self.scratchDirectory = scratchDirectory
        self.runner = runner
        self.options = options
        self.environment = environment
        self.baseEnvironment = baseEnvironment
        self.interruptGrace = interruptGrace
        self.logTailLines = logTailLines
        self.deselect = deselect
    }
}
