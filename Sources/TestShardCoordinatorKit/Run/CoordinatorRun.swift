import Foundation
import Logging
import TestShardConfig
import TestShardMetrics
import TestShardModel
import TestShardPlanner
import TestShardProtocol
import TestShardReport
import TestShardScheduler
import TestShardStore

/// `testshard-coordinator run`: one run from inventory to report.
///
/// 1. Load the config, find and select the files, estimate each from history.
/// 2. Record the run and its expected items in SQLite.
/// 3. Listen; start local workers; hand the scheduler's shards to whoever joins.
/// 4. When every item is final: drain the workers, write the report files, record the end.
public enum CoordinatorRun {
    /// A failure before the run starts: bad config, bad selection, unusable database or address.
    public struct SetupError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    /// Runs to the end and returns the exit status. Setup problems are printed and return `.usage`.
    public static func execute(_ options: RunOptions, logger: Logger) async -> CoordinatorExitStatus {
        do {
            return try await run(options, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("testshard-coordinator: \(error)\n".utf8))
            return .usage
        }
    }

    static func clock() -> Double { Date().timeIntervalSince1970 }

    private static func run(_ options: RunOptions, logger baseLogger: Logger) async throws -> CoordinatorExitStatus {
        // 1. Config and store.
        let configuration = try SuiteConfiguration.load(file: options.configFile)
        let root = configuration.root
        let databasePath = options.database.map { absolute($0) } ?? root + "/.testshard/history.sqlite"
        let store = try HistoryStore(path: databasePath, configuration: .init(windowSize: 20))
        if let profile = options.profile { _ = try configuration.profile(named: profile) }

        // TLS: the command line, else `[tls]` in the config (checked before the run is recorded).
        let tlsFiles =
            options.tls ?? configuration.tls.map { TLSSetup.Files(paths: $0, configFile: options.configFile) }
        let tls = try tlsFiles.map { files throws(TLSFileError) in try TLSSetup.serverContext(files) }

        // A given token file is checked here too, for the same reason: a refused file (world-readable,
        // empty) must not leave a run behind that never ends.
        let givenToken = try options.tokenFile.map { try AuthToken(contentsOfFile: absolute($0)) }

        // 2. What to run: a new run, a rerun, or the rest of a run whose coordinator died.
        let prepared =
            try options.resume.map { try PreparedRun.resumed($0, store: store) }
            ?? PreparedRun.fresh(options, configuration: configuration, store: store, now: clock())
        let runID = prepared.runID
        let items = prepared.items
        var logger = baseLogger
        logger[metadataKey: "run"] = "\(runID)"
        let reportDirectory = options.reportDirectory.map { absolute($0) } ?? root + "/.testshard/runs/\(runID)"
        try FileManager.default.createDirectory(atPath: reportDirectory, withIntermediateDirectories: true)

        // 3. Token.
        let tokenPath: String
        let token: AuthToken
        if let tokenFile = options.tokenFile, let givenToken {
            tokenPath = absolute(tokenFile)
            token = givenToken
        } else if options.listen == nil {
            // Not in the report folder: that is published (CI artifacts), and a token has no place
            // there. A private folder of its own, removed when the run ends.
            let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("testshard-\(runID)").path
            try FileManager.default.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            tokenPath = folder + "/worker.token"
            token = try AuthToken.createFile(atPath: tokenPath)
        } else {
            throw SetupError(
                "--listen serves remote workers, which need the shared secret: pass --token-file FILE "
                    + "(create it with `openssl rand -hex 32 > FILE && chmod 600 FILE`)"
            )
        }
        let generatedTokenFolder = options.tokenFile == nil ? (tokenPath as NSString).deletingLastPathComponent : nil
        defer { if let generatedTokenFolder { try? FileManager.default.removeItem(atPath: generatedTokenFolder) } }

        // 4. Scheduler and engine.
        var schedulerConfiguration = SchedulerConfiguration()
        schedulerConfiguration.heartbeatInterval = configuration.coordinator.heartbeatIntervalSeconds
        schedulerConfiguration.leaseTimeout = configuration.coordinator.leaseTimeoutSeconds
        schedulerConfiguration.shardTimeout = options.shardTimeout ?? configuration.shardTimeoutSeconds
        schedulerConfiguration.retries = options.retries ?? configuration.retries
        if !configuration.runner.supportsTestItems && schedulerConfiguration.retries > 0 {
            // A retry is one test of a file (`path::test`), which this runner cannot select.
            baseLogger.notice(
                "runner \"\(configuration.runner.rawValue)\" runs whole files only: failed tests are not retried"
            )
            schedulerConfiguration.retries = 0
        }
        // Local workers start together: hold the first hand-out until they have joined (briefly), so
        // the first batches are sized for all of them rather than for whichever connected first.
        schedulerConfiguration.expectedWorkers = max(options.expectWorkers, options.localWorkers)
        schedulerConfiguration.expectedWorkersTimeout =
            options.expectWorkersTimeout
            ?? (options.expectWorkers > 0 ? configuration.coordinator.expectWorkersTimeoutSeconds : 15)
        if let deadline = options.deadline { schedulerConfiguration.deadline = clock() + deadline }
        if let grace = options.deadlineGrace { schedulerConfiguration.deadlineGrace = grace }
        for finding in prepared.collectionErrors {
            logger.warning(
                "collection error found before the run; not sent to workers",
                metadata: ["file": "\(finding.file)", "error": "\(finding.message)"]
            )
        }
        let scheduler = try SchedulerStateMachine(
            items: prepared.scheduled,
            configuration: schedulerConfiguration,
            resume: prepared.resume
        )

        let revision = GitInfo.revision(root: root)
        let (finished, finishedSink) = AsyncStream.makeStream(of: RunSummary.self)
        let engine = RunEngine(
            scheduler: scheduler,
            store: store,
            context: .init(
                runID: runID,
                profile: options.profile,
                revision: revision,
                requireSameRevision: options.requireSameRevision,
                heartbeatInterval: schedulerConfiguration.heartbeatInterval,
                leaseTimeout: schedulerConfiguration.leaseTimeout,
                splitTests: RunEngine.Context.splitTests(of: items.map(\.item))
            ),
            logger: logger,
            clock: { clock() },
            finished: finishedSink
        )

        // 5. Listen and start workers.
        let address = options.listen ?? HostPort(host: "127.0.0.1", port: 0)
        let server: CoordinatorServer
        do {
            server = try await CoordinatorServer.bind(
                address,
                configuration: .init(
                    runID: runID,
                    token: token,
                    handshakeTimeout: options.handshakeTimeout
                        ?? CoordinatorServer.Configuration.defaultHandshakeTimeout,
                    idleTimeout: max(3 * schedulerConfiguration.leaseTimeout, 90),
                    tls: tls
                ),
                engine: engine,
                logger: logger
            )
        } catch {
            throw SetupError("cannot listen on \(address): \(error)")
        }
        logger.info(
            "run started",
            metadata: [
                "items": "\(items.count)", "listen": "\(server.boundAddress)", "db": "\(databasePath)",
                "report_dir": "\(reportDirectory)", "tls": "\(tls == nil ? "off" : "mutual")",
            ]
        )
        let what = prepared.resume != nil ? "resuming run" : (prepared.kind == .rerun ? "rerun" : "run")
        print("testshard: \(what) \(runID): \(items.count) items; listening on \(server.boundAddress)")
        fflush(nil)  // flush every stream: a test or a wrapper reads this line while the run goes on

        var metrics: MetricsServer? = nil
        if let address = options.metricsListen {
            let metricsLogger = logger
            do {
                metrics = try await MetricsServer.start(
                    host: address.host,
                    port: address.port,
                    snapshot: { await engine.metricsSnapshot() },
                    log: { record in
                        let level: Logger.Level =
                            switch record.level {
                            case .debug: .debug
                            case .info: .info
                            case .warning: .warning
                            case .error: .error
                            }
                        metricsLogger.log(
                            level: level,
                            "\(record.message)",
                            metadata: record.metadata.mapValues { .string($0) }
                        )
                    }
                )
            } catch {
                await engine.stop(reason: .cancelled, grace: 0)
                throw SetupError("cannot serve metrics on \(address): \(error)")
            }
            print("testshard: metrics on http://\(address.host):\(metrics?.boundPort ?? address.port)/metrics")
            fflush(nil)
        }

        let pool = LocalWorkerPool(logger: logger)
        let serverTask = Task { await server.run() }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                await engine.tick()
            }
        }
        let progress = Task {
            await ProgressReporter(engine: engine, interval: options.progressInterval, logger: logger).run()
        }
        let signalLogger = logger
        let signals = SignalWatcher { signal in
            Task { await engine.stop(reason: .cancelled, grace: 10) }
            signalLogger.warning("received \(signal): stopping the run (no new work; running shards get 10 s)")
        }
        defer { signals.cancel() }
        await engine.start()

        if options.localWorkers > 0 {
            let loopback = HostPort(host: "127.0.0.1", port: server.boundAddress.port)
            do {
                try pool.start(
                    count: options.localWorkers,
                    launch: .init(
                        binary: LocalWorkerPool.workerBinary(explicit: options.workerBinary),
                        coordinator: address.host == "127.0.0.1" || address.host == "0.0.0.0"
                            ? loopback : server.boundAddress,
                        root: root,
                        configFile: configuration.file,
                        tokenFile: tokenPath,
                        tls: tlsFiles?.paths,
                        slots: options.localWorkerSlots,
                        logDirectory: reportDirectory + "/workers",
                        environment: options.localWorkerEnvironment
                    )
                )
            } catch {
                await engine.stop(reason: .cancelled, grace: 0)
                throw SetupError("\(error)")
            }
        }

        // 6. Wait for the end.
        var summary = RunSummary()
        for await finishedSummary in finished {
            summary = finishedSummary
            break
        }
        await engine.drainAll(reason: "run \(runID) finished")
        progress.cancel()
        await pool.stop(grace: 10)
        // Remote workers get a moment to read the drain and say goodbye.
        let drainDeadline = clock() + 3
        while await engine.connectedWorkers > 0 && clock() < drainDeadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        ticker.cancel()
        // Close, then wait (not cancel): connections accepted before the close are still served and
        // closed one by one; `run()` then ends the rest.
        await server.close()
        await serverTask.value
        await metrics?.stop()

        // 7. Outputs.
        let endedAt = clock()
        let endReason: RunEndReason =
            switch summary.stopReason {
            case .deadline: .deadline
            case .cancelled: .interrupted
            case .noWorkers: .aborted
            case nil: .completed
            }
        let written = try await RunOutputs.write(
            runID: runID,
            store: store,
            configuration: configuration,
            reportDirectory: reportDirectory,
            ending: .init(endedAt: endedAt, reason: endReason, deadlineSeconds: options.deadline),
            logger: logger
        )
        let status: CoordinatorExitStatus =
            endReason == .deadline
            ? .cutShort : CoordinatorExitStatus(rawValue: written.report.verdict.exitStatus) ?? .incomplete
        try store.finishRun(
            id: runID,
            endedAt: endedAt,
            status: endReason == .deadline ? .cutShort : (endReason == .completed ? .completed : .interrupted),
            exitStatus: Int(status.rawValue)
        )
        print(RunOutputs.summaryText(report: written.report, summary: summary, reportDirectory: reportDirectory))
        return status
    }

    /// Estimates for `files` from the history windows (median fallbacks for files without history).
    static func estimate(_ files: [String], store: HistoryStore) throws -> [String: Estimate] {
        Estimator().estimateFiles(files, windows: try store.durationWindows(items: files))
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
    }

    static func randomSuffix() -> String {
        String(UInt16.random(in: 0...UInt16.max), radix: 16).leftPadded(to: 4)
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
