import Foundation
import TestShardJUnit
import TestShardModel

/// The worker's shell for one shard attempt: validate the items, run the configured command in
/// its own process group with a timeout, read the JUnit, and say what happened to every item.
///
/// 1. Refuse the shard if any item is not a plain relative path inside the root, matched by the
///    include globs, naming a regular file (`ItemValidator`), or is one test of a file for a runner
///    that runs whole files only (`junit`).
/// 2. In the scratch folder: write the items file (one item per line); remove stale results and
///    progress log; for pytest, write the progress plugin.
/// 3. Decide the processes (`RunnerInvocationPlanner`): one for the shard, or one per file (node);
///    for swift, from what each file declares (`SwiftTestSourceScanner`).
/// 4. For swift with `--skip-build`, build once per worker process (`SwiftPrebuild`,
///    `PreparationGate`) within the shard's time, holding the suite root's build lock exclusively;
///    run the shard's processes holding it shared (`BuildLock`).
/// 5. For each process: expand the command (`{files}` becomes the runner's selection — for a large
///    pytest shard its common folder plus `--testshard-items`, see `PytestHandoff` — `{junit}`,
///    `{items_file}`, `{options}`) and run it in the suite root with what is left of the timeout:
///    environment = base + request's variables; for pytest also the plugin on `PYTHONPATH`,
///    `PYTEST_PLUGINS`, `TESTSHARD_PROGRESS_FILE`, and `PYTHONUNBUFFERED=1` so the log's last lines
///    are there even after a SIGKILL. Read its results the runner's way and decide
///    (`ShardOutcomeBuilder`). A timeout or cancel stops the shard: later processes do not start.
/// 6. Merge the processes' decisions (`ShardDecision.merging`).
public struct ShardExecutor: Sendable {
    /// Seconds since the epoch; read only for `startedAt` and `endedAt`.
    public var clock: @Sendable () -> Double
    public var processRunner: ProcessRunner
    /// Where a worker's once-only preparation (the swift build) is coordinated between its shards.
    public var preparation: PreparationGate
    /// Where `python -m pytest` commands start warm (`WarmPytestPool`); `nil` runs every command cold.
    public var warmPytest: WarmPytestPool?

    public init(
        clock: @escaping @Sendable () -> Double,
        processRunner: ProcessRunner = ProcessRunner(),
        preparation: PreparationGate = .shared,
        warmPytest: WarmPytestPool? = .shared
    ) {
        self.clock = clock
        self.processRunner = processRunner
        self.preparation = preparation
        self.warmPytest = warmPytest
    }

    /// File names inside the scratch folder.
    public enum ScratchFile {
        public static let items = "items.txt"
        public static let junit = "junit.xml"
        public static let log = "output.log"
        public static let progress = "progress.jsonl"
        public static let pluginFolder = "pytest-plugin"
        public static let deselect = "deselect.txt"
        public static let prepareLog = "prepare.log"

        /// The JUnit path of the shard's `index`-th process (0-based): `junit.xml`, `junit-2.xml`, …
        static func junit(_ index: Int) -> String { index == 0 ? junit : "junit-\(index + 1).xml" }
        /// The log of the shard's `index`-th process when there are several (all are appended to `log`).
        static func log(_ index: Int) -> String { "output-\(index + 1).log" }
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
        if !request.runner.supportsTestItems, let item = request.items.first(where: { !$0.isWholeFile }) {
            return refused(
                "refused item \"\(item.id)\": runner \"\(request.runner.rawValue)\" runs whole files only and cannot "
                    + "select one test of a file; send \(item.file) instead (the coordinator must not split files or "
                    + "retry single tests for this runner)"
            )
        }

        // 2. Scratch folder.
        let scratch = request.scratchDirectory
        let itemsPath = scratch + "/" + ScratchFile.items
        let logPath = scratch + "/" + ScratchFile.log
        let progressPath = scratch + "/" + ScratchFile.progress
        let pluginFolder = scratch + "/" + ScratchFile.pluginFolder
        do {
            let files = FileManager.default
            try files.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            for name in try files.contentsOfDirectory(atPath: scratch)
            where name.hasPrefix("junit") || name == ScratchFile.progress {
                try files.removeItem(atPath: scratch + "/" + name)
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

        // 3. Processes.
        var declarations: [String: SwiftTestDeclarations] = [:]
        if request.runner == .swift {
            for file in Set(request.items.map(\.file)) {
                guard let data = FileManager.default.contents(atPath: request.suiteRoot + "/" + file) else {
                    return refused("cannot read \(file) to find the tests it declares")
                }
                declarations[file] = SwiftTestSourceScanner.scan(String(decoding: data, as: UTF8.self))
            }
        }
        let plan = RunnerInvocationPlanner.plan(request.runner, items: request.items, declarations: declarations)
        if plan.invocations.isEmpty {
            return ShardOutcome(
                exit: ShardExit(kind: .ok, reason: "no item declares a test; nothing was run"),
                itemsWithoutTests: plan.withoutTests,
                startedAt: startedAt,
                endedAt: clock()
            )
        }

        // 4. Preparation. The tests then run under the shared build lock, so another worker's
        //    build of the same checkout cannot overlap them (`BuildLock`).
        var spent = 0.0
        var buildLock: BuildLock? = nil
        defer { buildLock?.release() }
        if request.runner == .swift, let build = SwiftPrebuild.arguments(for: request.command) {
            let (failure, seconds) = await prepare(build, request: request, cancel: cancel, startedAt: startedAt)
            if let failure { return failure }
            spent += seconds
            let waitStarted = clock()
            buildLock = await BuildLock.acquire(suiteRoot: request.suiteRoot, exclusive: false)
            spent += max(0, clock() - waitStarted)
        }

        // 5. Run. pytest gets a large shard as one folder plus the items file.
        let several = plan.invocations.count > 1
        let handoff =
            several
            ? PytestHandoff.arguments
            : PytestHandoff.choose(
                items: request.items,
                command: request.command,
                runner: request.runner,
                environment: request.baseEnvironment.merging(request.environment) { _, new in new }
            )
        var parts: [(decision: ShardDecision, file: String?)] = []
        var runs: [(arguments: [String], junit: JUnitReadResult, tail: [String])] = []
        var notStarted: [WorkItem] = []
        // Read from the shard's one progress log, which every process appends to: the last read
        // has them all.
        var fileSeconds: [String: Double] = [:]
        for (index, invocation) in plan.invocations.enumerated() {
            let remaining = request.timeout - spent
            if remaining <= 0 {
                let what = invocation.file ?? "the tests"
                parts.append(
                    (
                        ShardDecision(
                            exit: ShardExit(
                                kind: .timeout,
                                reason: "timed out: the shard's \(DurationText.format(request.timeout)) were used up "
                                    + "before \(what) started"
                            ),
                            tests: [],
                            itemsWithoutResults: invocation.items,
                            itemsWithoutTests: [],
                            lastStartedItem: nil,
                            lastStartedTest: nil,
                            testsOutsideItems: [],
                            recoveredTests: 0
                        ),
                        invocation.file
                    )
                )
                runs.append(([], JUnitReadResult(tests: [], state: .missing), []))
                notStarted = plan.invocations[(index + 1)...].flatMap(\.items)
                break
            }
            let junitPath = scratch + "/" + ScratchFile.junit(index)
            let processLog = several ? scratch + "/" + ScratchFile.log(index) : logPath
            let arguments = request.command.expand(
                items: handoff.arguments(invocation, itemsFile: itemsPath),
                junitPath: junitPath,
                itemsFile: itemsPath,
                options: request.options
            )
            let spec = ProcessSpec(
                arguments: arguments,
                workingDirectory: request.suiteRoot,
                environment: environment(request, pluginFolder: pluginFolder, progressPath: progressPath),
                logPath: processLog,
                timeout: remaining,
                interruptGrace: request.interruptGrace,
                terminateGrace: 2,
                tailLines: request.logTailLines
            )
            let process: ProcessOutcome
            if request.runner == .pytest, let warm = warmPytest,
                let outcome = await warm.run(spec, pluginFolder: pluginFolder, cancel: cancel)
            {
                process = outcome
            } else {
                do {
                    process = try await processRunner.run(spec, cancel: cancel)
                } catch {
                    return refused("cannot start the command: \(error.message)", command: arguments)
                }
            }
            spent += process.wallSeconds
            if several { Self.append(log: processLog, header: arguments, to: logPath) }
            let (decision, junit, seconds) = interpret(
                invocation,
                of: request,
                process: process,
                junitPath: junitPath,
                progressPath: progressPath,
                timeout: remaining,
                declarations: declarations
            )
            parts.append((decision, invocation.file))
            runs.append((arguments, junit, process.logTail))
            if !seconds.isEmpty { fileSeconds = seconds }
            if process.timedOut || process.cancelled {
                notStarted = plan.invocations[(index + 1)...].flatMap(\.items)
                break
            }
        }

        // 6. Outcome.
        var decision = ShardDecision.merging(parts, notStarted: notStarted)
        decision.itemsWithoutTests += plan.withoutTests
        let run = runs[ShardDecision.decidingPart(parts.map(\.decision))]
        return ShardOutcome(
            exit: decision.exit,
            tests: decision.tests,
            itemsWithoutResults: decision.itemsWithoutResults,
            itemsWithoutTests: decision.itemsWithoutTests,
            lastStartedItem: decision.lastStartedItem,
            lastStartedTest: decision.lastStartedTest,
            testsOutsideItems: decision.testsOutsideItems,
            logTail: run.tail,
            command: run.arguments,
            startedAt: startedAt,
            endedAt: clock(),
            junitState: run.junit.state,
            junitReason: run.junit.reason,
            recoveredTests: decision.recoveredTests,
            logPath: logPath,
            fileSeconds: fileSeconds
        )
    }

    // MARK: - Results

    /// Reads one process's results the runner's way and decides what happened to its items.
    private func interpret(
        _ invocation: RunnerInvocation,
        of request: ShardRequest,
        process: ProcessOutcome,
        junitPath: String,
        progressPath: String,
        timeout: Double,
        declarations: [String: SwiftTestDeclarations]
    ) -> (ShardDecision, JUnitReadResult, fileSeconds: [String: Double]) {
        var prefix = ""
        var fileSeconds: [String: Double] = [:]
        var progressResults: [TestCaseResult] = []
        var unfinishedTests: [String] = []
        var unfinishedCollection: String? = nil
        let files = Array(Set(invocation.items.map(\.file))).sorted()
        var junit: JUnitReadResult
        switch request.runner {
        case .pytest:
            var progress: PytestProgress?
            if let data = FileManager.default.contents(atPath: progressPath) {
                let decoded = PytestProgressDecoder.decode(data)
                prefix = Self.pathPrefix(rootdir: decoded.rootdir, suiteRoot: request.suiteRoot)
                fileSeconds = decoded.fileSeconds(pathPrefix: prefix)
                unfinishedTests = decoded.tests.filter { !$0.finished }.map { prefix + $0.nodeID }
                unfinishedCollection = decoded.lastUnfinishedCollection.map { prefix + $0 }
                progress = decoded
            }
            junit = JUnitReader(candidateFiles: files, pathPrefix: prefix, dialect: .pytest).read(contentsOf: junitPath)
            // The progress log's results only fill in what a JUnit that is not whole lacks
            // (ShardOutcomeBuilder); building them for every shard cost 0.1 s per 2500 files.
            if junit.state != .ok, let progress { progressResults = progress.results(pathPrefix: prefix) }
        case .junit:
            junit = JUnitReader(
                candidateFiles: files,
                defaultFile: files.count == 1 ? files[0] : nil,
                dialect: .generic
            ).read(contentsOf: junitPath)
        case .node:
            let file = invocation.file ?? files.first ?? ""
            junit = JUnitReader(dialect: .node).read(contentsOf: junitPath)
            junit.tests = NodeTestNaming.keep(
                NodeTestNaming.attribute(junit.tests, file: file, absoluteFile: request.suiteRoot + "/" + file),
                items: invocation.items
            )
            // A stopped `node --test` may report the file itself as failed (its own reaction to
            // SIGINT, depending on how far it got); that is no verdict on the file's tests.
            if process.timedOut || process.cancelled { junit.tests.removeAll { $0.id == file } }
            // The process runs this one file: if it does not end normally, the file was running.
            unfinishedCollection = file
        case .swift:
            let found = files.compactMap { declarations[$0] }
            junit = Self.readSwiftResults(
                xunitPath: junitPath,
                expectXCTest: found.contains { !$0.xctestClasses.isEmpty },
                expectSwiftTesting: found.contains(where: \.mayHoldSwiftTesting)
            )
            let attribution = SwiftTestNaming.Attribution(
                declarations: Dictionary(uniqueKeysWithValues: files.map { ($0, declarations[$0] ?? .init()) })
            )
            junit.tests = junit.tests.map(attribution.attribute)
        }
        let decision = ShardOutcomeBuilder.build(
            ShardEvidence(
                items: invocation.items,
                runner: request.runner,
                termination: process.termination,
                timedOut: process.timedOut,
                cancelled: process.cancelled,
                timeout: timeout,
                junit: junit,
                progressResults: progressResults,
                unfinishedTests: unfinishedTests,
                unfinishedCollection: unfinishedCollection,
                logTail: process.logTail
            )
        )
        return (decision, junit, fileSeconds)
    }

    /// `swift test --xunit-output PATH` writes XCTest's results to `PATH` and swift-testing's to
    /// `PATH` with `-swift-testing` before the extension. A file the shard's tests need must be
    /// there and whole; when neither library is known to be needed, one file is enough.
    static func readSwiftResults(xunitPath: String, expectXCTest: Bool, expectSwiftTesting: Bool) -> JUnitReadResult {
        let reader = JUnitReader(dialect: .generic)
        let testingPath = SwiftTestNaming.swiftTestingResultPath(forXUnit: xunitPath)
        let xctest = reader.read(contentsOf: xunitPath)
        let testing = reader.read(contentsOf: testingPath)
        let tests = xctest.tests + testing.tests
        let needed = [
            (xctest, expectXCTest, " (XCTest writes it only with --parallel)"), (testing, expectSwiftTesting, ""),
        ]
        for (result, expected, hint) in needed where expected && result.state != .ok {
            return JUnitReadResult(tests: tests, state: result.state, reason: (result.reason ?? "") + hint)
        }
        for result in [xctest, testing] where result.state != .ok && result.state != .missing {
            return JUnitReadResult(tests: tests, state: result.state, reason: result.reason)
        }
        if xctest.state == .missing && testing.state == .missing {
            return JUnitReadResult(
                tests: [],
                state: .missing,
                reason: "no result file at \(xunitPath) or \(testingPath)"
            )
        }
        return JUnitReadResult(tests: tests, state: .ok)
    }

    // MARK: - Preparation

    /// Builds once per worker process; returns the outcome to report when the build did not
    /// succeed, and the seconds it took of the shard's time.
    private func prepare(
        _ arguments: [String],
        request: ShardRequest,
        cancel: ProcessCancelHandle?,
        startedAt: Double
    ) async -> (ShardOutcome?, Double) {
        let spec = ProcessSpec(
            arguments: arguments,
            workingDirectory: request.suiteRoot,
            environment: request.baseEnvironment.merging(request.environment) { _, new in new },
            logPath: request.scratchDirectory + "/" + ScratchFile.prepareLog,
            timeout: request.timeout,
            interruptGrace: 2,
            terminateGrace: 2,
            tailLines: request.logTailLines
        )
        let runner = processRunner
        let key = ([request.suiteRoot] + arguments).joined(separator: "\u{0}")
        var attempts = 0
        while true {
            attempts += 1
            let root = request.suiteRoot
            let result = await preparation.run(key: key) {
                let lock = await BuildLock.acquire(suiteRoot: root, exclusive: true)
                defer { lock?.release() }
                do {
                    let process = try await runner.run(spec, cancel: cancel)
                    let clean = process.termination == .exited(0) && !process.timedOut && !process.cancelled
                    return PreparationGate.Outcome(succeeded: clean, wallSeconds: process.wallSeconds, exit: process)
                } catch {
                    return PreparationGate.Outcome(succeeded: false, wallSeconds: 0, startError: "\(error)")
                }
            }
            guard let result else { return (nil, 0) }
            if result.succeeded { return (nil, result.wallSeconds) }
            // Another shard's cancel stopped the build it ran for both: build again, for this one.
            if result.exit?.cancelled == true, cancel?.isCancelled != true, attempts < 2 { continue }
            let command = arguments.joined(separator: " ")
            let exit: ShardExit
            if let startError = result.startError {
                exit = ShardExit(kind: .refused, reason: "cannot start the build `\(command)`: \(startError)")
            } else if let process = result.exit, process.cancelled {
                exit = ShardExit(kind: .cancelled, reason: "cancelled while building the tests (`\(command)`)")
            } else if let process = result.exit, process.timedOut {
                exit = ShardExit(
                    kind: .timeout,
                    reason:
                        "timed out after \(DurationText.format(request.timeout)) building the tests (`\(command)`); "
                        + "the shard timeout must cover a worker's first build"
                )
            } else {
                let process = result.exit
                let how =
                    process?.signal.map { "was killed by signal \($0)" }
                    ?? "exited with code \(process?.exitCode ?? -1)"
                let last = process?.logTail.last.map { "; last output: \($0)" } ?? ""
                exit = ShardExit(
                    kind: .noResults,
                    code: process?.exitCode,
                    signal: process?.signal,
                    reason: "the build before the tests (`\(command)`) \(how)\(last)"
                )
            }
            return (
                ShardOutcome(
                    exit: exit,
                    itemsWithoutResults: request.items,
                    logTail: result.exit?.logTail ?? [],
                    command: arguments,
                    startedAt: startedAt,
                    endedAt: clock()
                ),
                result.wallSeconds
            )
        }
    }

    /// Appends one process's log to the shard's, under a line naming the command.
    private static func append(log path: String, header: [String], to shardLog: String) {
        let files = FileManager.default
        if !files.fileExists(atPath: shardLog) { _ = files.createFile(atPath: shardLog, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: shardLog) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        handle.write(Data(("$ " + header.joined(separator: " ") + "\n").utf8))
        if let data = files.contents(atPath: path) { handle.write(data) }
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
