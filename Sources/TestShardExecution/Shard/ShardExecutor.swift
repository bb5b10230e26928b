import Foundation
import TestShardJUnit
import TestShardModel

/// The worker's shell for one shard attempt: validate the items, run the configured command in
/// its own process group with a timeout, read the JUnit, and say what happened to every item.
///
/// 1. Refuse the shard if any item is not a plain relative path inside the root, matched by the
///    include globs, naming a regular file (`ItemValidator`).
/// 2. In the scratch folder: write the items file (one item per line); remove a stale JUnit and
///    progress log; for pytest, write the progress plugin.
/// 3. Expand the command (`{files}`, `{items_file}`, `{junit}`, `{options}`; a large pytest shard's
///    `{files}` becomes its common folder plus `--testshard-items`, see `PytestHandoff`) and run it
///    in the suite root: environment = base + request's variables; for pytest also the plugin on `PYTHONPATH`,
///    `PYTEST_PLUGINS`, `TESTSHARD_PROGRESS_FILE`, and `PYTHONUNBUFFERED=1` so the log's last lines
///    are there even after a SIGKILL.
/// 4. Read the JUnit (file names matched against the shard's items, pytest's rootdir offset
///    applied) and the progress log, and decide (`ShardOutcomeBuilder`).
public struct ShardExecutor: Sendable {
    /// Seconds since the epoch; read only for `startedAt` and `endedAt`.
    public var clock: @Sendable () -> Double
    public var processRunner: ProcessRunner

    public init(clock: @escaping @Sendable () -> Double, processRunner: ProcessRunner = ProcessRunner()) {
        self.clock = clock
        self.processRunner = processRunner
    }

    /// File names inside the scratch folder.
    public enum ScratchFile {
        public static let items = "items.txt"
        public static let junit = "junit.xml"
        public static let log = "output.log"
        public static let progress = "progress.jsonl"
        public static let pluginFolder = "pytest-plugin"
        public static let deselect = "deselect.txt"
    }

    /// Runs the shard to its end. Never throws: a shard that cannot run is `refused` with the reason.
    public func run(_ request: ShardRequest, cancel: ProcessCancelHandle? = nil) async -> ShardOutcome {
        let startedAt = clock()
        func refused(_ reason: String, command: [String] = []) -> ShardOutcome {
            ShardOutcome(
                exit: ShardExit(kind: .refused, reason: reason),
                itemsWithoutResults: request.items,
                command: command,
                startedAt: startedAt,
                endedAt: clock()
            )
        }

        // 1. Items.
        if request.items.isEmpty { return refused("the shard has no items") }
        if let refusal = ItemValidator(root: request.suiteRoot, include: request.include).validate(request.items) {
            return refused(refusal.message)
        }

        // 2. Scratch folder.
        let scratch = request.scratchDirectory
        let itemsPath = scratch + "/" + ScratchFile.items
        let junitPath = scratch + "/" + ScratchFile.junit
        let logPath = scratch + "/" + ScratchFile.log
        let progressPath = scratch + "/" + ScratchFile.progress
        let pluginFolder = scratch + "/" + ScratchFile.pluginFolder
        do {
            let files = FileManager.default
            try files.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            for stale in [junitPath, progressPath] where files.fileExists(atPath: stale) {
                try files.removeItem(atPath: stale)
            }
            try Data((request.items.map(\.id).joined(separator: "\n") + "\n").utf8)
                .write(to: URL(fileURLWithPath: itemsPath))
            if request.runner == .pytest && !request.deselect.isEmpty {
                try Data((request.deselect.map(\.id).joined(separator: "\n") + "\n").utf8)
                    .write(to: URL(fileURLWithPath: scratch + "/" + ScratchFile.deselect))
            }
            if request.runner == .pytest {
                try files.createDirectory(atPath: pluginFolder, withIntermediateDirectories: true)
                try Data(PytestProgressPlugin.source.utf8).write(
                    to: URL(fileURLWithPath: pluginFolder + "/" + PytestProgressPlugin.moduleName + ".py")
                )
            }
        } catch {
            return refused("cannot prepare the scratch folder \(scratch): \(error)")
        }

        // 3. Command and run. pytest gets a large shard as one folder plus the items file.
        let handoff = PytestHandoff.choose(
            items: request.items,
            command: request.command,
            runner: request.runner,
            environment: request.baseEnvironment.merging(request.environment) { _, new in new }
        )
        let arguments = request.command.expand(
            items: handoff.arguments(items: request.items, itemsFile: itemsPath),
            junitPath: junitPath,
            itemsFile: itemsPath,
            options: request.options
        )
        let spec = ProcessSpec(
            arguments: arguments,
            workingDirectory: request.suiteRoot,
            environment: environment(request, pluginFolder: pluginFolder, progressPath: progressPath),
            logPath: logPath,
            timeout: request.timeout,
            interruptGrace: request.interruptGrace,
            terminateGrace: 2,
            tailLines: request.logTailLines
        )
        let process: ProcessOutcome
        do {
            process = try await processRunner.run(spec, cancel: cancel)
        } catch {
            return refused("cannot start the command: \(error.message)", command: arguments)
        }

        // 4. Results.
        var prefix = ""
        var progressResults: [TestCaseResult] = []
        var unfinishedTests: [String] = []
        var unfinishedCollection: String? = nil
        if request.runner == .pytest, let data = FileManager.default.contents(atPath: progressPath) {
            let progress = PytestProgressDecoder.decode(data)
            prefix = Self.pathPrefix(rootdir: progress.rootdir, suiteRoot: request.suiteRoot)
            progressResults = progress.results(pathPrefix: prefix)
            unfinishedTests = progress.tests.filter { !$0.finished }.map { prefix + $0.nodeID }
            unfinishedCollection = progress.lastUnfinishedCollection.map { prefix + $0 }
        }
        let files = Array(Set(request.items.map(\.file))).sorted()
        let reader = JUnitReader(
            candidateFiles: files,
            pathPrefix: prefix,
            defaultFile: request.runner == .other && files.count == 1 ? files[0] : nil,
            dialect: request.runner == .pytest ? .pytest : .generic
        )
        let junit = reader.read(contentsOf: junitPath)
        let decision = ShardOutcomeBuilder.build(
            ShardEvidence(
                items: request.items,
                runner: request.runner,
                termination: process.termination,
                timedOut: process.timedOut,
                cancelled: process.cancelled,
                timeout: request.timeout,
                junit: junit,
                progressResults: progressResults,
                unfinishedTests: unfinishedTests,
                unfinishedCollection: unfinishedCollection,
                logTail: process.logTail
            )
        )
        return ShardOutcome(
            exit: decision.exit,
            tests: decision.tests,
            itemsWithoutResults: decision.itemsWithoutResults,
            itemsWithoutTests: decision.itemsWithoutTests,
            lastStartedItem: decision.lastStartedItem,
            lastStartedTest: decision.lastStartedTest,
            testsOutsideItems: decision.testsOutsideItems,
            logTail: process.logTail,
            command: arguments,
            startedAt: startedAt,
            endedAt: clock(),
            junitState: junit.state,
            junitReason: junit.reason,
            recoveredTests: decision.recoveredTests,
            logPath: logPath
        )
    }

    private func environment(_ request: ShardRequest, pluginFolder: String, progressPath: String) -> [String: String] {
        var environment = request.baseEnvironment.merging(request.environment) { _, new in new }
        guard request.runner == .pytest else { return environment }
        let module = PytestProgressPlugin.moduleName
        environment["PYTHONPATH"] = [pluginFolder, environment["PYTHONPATH"]].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: ":")
        let plugins = (environment["PYTEST_PLUGINS"] ?? "").split(separator: ",").map(String.init).filter {
            !$0.isEmpty
        }
        environment["PYTEST_PLUGINS"] = (plugins.contains(module) ? plugins : plugins + [module]).joined(separator: ",")
        environment["TESTSHARD_PROGRESS_FILE"] = progressPath
        if !request.deselect.isEmpty {
            environment["TESTSHARD_DESELECT_FILE"] = request.scratchDirectory + "/" + ScratchFile.deselect
        }
        if environment["PYTHONUNBUFFERED"] == nil { environment["PYTHONUNBUFFERED"] = "1" }
        return environment
    }

    /// Where pytest's rootdir lies below the suite root (`sub/`), or empty.
    static func pathPrefix(rootdir: String?, suiteRoot: String) -> String {
        guard let rootdir else { return "" }
        let root = URL(fileURLWithPath: suiteRoot).resolvingSymlinksInPath().standardizedFileURL.path
        let pytestRoot = URL(fileURLWithPath: rootdir).resolvingSymlinksInPath().standardizedFileURL.path
        guard pytestRoot.hasPrefix(root + "/") else { return "" }
        return String(pytestRoot.dropFirst(root.count + 1)) + "/"
    }
}
