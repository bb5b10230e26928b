import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TestShardConfig
import TestShardExecution
import TestShardModel
import TestShardProtocol
import TestShardWorkerKit

/// `testshard-worker`: joins a coordinator and runs the shards it is given with the suite's own
/// command, from this host's checkout and config.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testshard-worker",
        abstract: "Run shards of a test suite for a TestShard coordinator.",
        discussion: """
            The worker runs the command from its own copy of the suite's config (testshard.toml or \
            [tool.testshard] in pyproject.toml under --root); the coordinator only sends the items. It \
            reconnects with backoff, and on SIGTERM stops taking work, finishes or hands back what \
            runs, and exits 0.
            """,
        version: TestShardVersion.current
    )

    @Option(help: ArgumentHelp("The coordinator's address.", valueName: "host:port"))
    var coordinator: String

    @Option(help: ArgumentHelp("The suite root: the folder holding its config.", valueName: "dir"))
    var root: String = "."

    @Option(help: "A config file to use instead of the one found under --root.")
    var config: String?

    @Option(help: "How many shards this worker runs at once.")
    var slots: Int = 1

    @Option(
        help: ArgumentHelp(
            "Threads each shard's numeric libraries may start (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS, …, where nothing sets them): auto divides this host's cores among the shards running on it at once; off leaves them alone (default: $TESTSHARD_THREADS_PER_SHARD, else auto).",
            valueName: "auto|off|n"
        )
    )
    var threadsPerShard: String?

    @Option(
        help: "Shards running at once on this host by all its workers, for --threads-per-shard (default: --slots)."
    )
    var shardsOnHost: Int?

    @Option(help: ArgumentHelp("The shared token file (mode 600).", valueName: "file"))
    var tokenFile: String

    @Option(help: "This worker's name in the run (default: the host name, plus the pid when it is taken).")
    var name: String?

    @Flag(help: "Exit 0 after the first run ends (CI jobs); without it the worker waits for the next run.")
    var once = false

    @Option(
        help: ArgumentHelp("Give up (exit 1) after the coordinator was unreachable this long.", valueName: "duration")
    )
    var giveUpAfter: String?

    @Option(
        help: ArgumentHelp(
            "After SIGTERM, how long running shards may finish before they are handed back.",
            valueName: "duration"
        )
    )
    var shutdownGrace: String = "60s"

    @Option(
        help:
            "Where shards keep their scratch files (default: a folder of this process in the system temp dir, removed when the worker exits)."
    )
    var scratch: String?

    @Option(
        help: ArgumentHelp(
            "CA bundle to verify the coordinator with (enables TLS; default: [tls] ca_file in the config).",
            valueName: "file"
        )
    )
    var tlsCa: String?

    @Option(
        help: ArgumentHelp(
            "This worker's client certificate (PEM; the coordinator requires one; default: [tls] cert_file).",
            valueName: "file"
        )
    )
    var tlsCert: String?

    @Option(help: ArgumentHelp("The key of --tls-cert (PEM, mode 600; default: [tls] key_file).", valueName: "file"))
    var tlsKey: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    /// `--threads-per-shard`, else `$TESTSHARD_THREADS_PER_SHARD` (how `run --local-workers` passes
    /// it on: they inherit the coordinator's environment), else `auto`.
    private var threadSetting: String {
        threadsPerShard ?? ProcessInfo.processInfo.environment["TESTSHARD_THREADS_PER_SHARD"] ?? "auto"
    }

    /// The shards running at once on this host, among which `auto` divides its cores.
    private var shardsAtOnce: Int { shardsOnHost ?? slots }

    func validate() throws {
        guard HostPort(parsing: coordinator) != nil else {
            throw ValidationError("--coordinator \(coordinator): expected host:port, e.g. 10.0.0.5:7070")
        }
        guard (1...256).contains(slots) else { throw ValidationError("--slots \(slots): expected 1 to 256") }
        guard ThreadLimit.Setting(parsing: threadSetting) != nil else {
            let source =
                threadsPerShard != nil ? "--threads-per-shard" : "TESTSHARD_THREADS_PER_SHARD in the environment"
            throw ValidationError("\(source) \(threadSetting): expected auto, off or a number from 1 to 4096")
        }
        if let shardsOnHost, !(1...4096).contains(shardsOnHost) {
            throw ValidationError("--shards-on-host \(shardsOnHost): expected 1 to 4096")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level \(logLevel): expected trace, debug, info, notice, warning, error or critical"
            )
        }
        guard DurationText.seconds(shutdownGrace) != nil else {
            throw ValidationError("--shutdown-grace \(shutdownGrace): expected a duration like 60s or 2m")
        }
        if let giveUpAfter, DurationText.seconds(giveUpAfter) == nil {
            throw ValidationError("--give-up-after \(giveUpAfter): expected a duration like 60s or 2m")
        }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsCert != nil && tlsCa == nil {
            throw ValidationError("--tls-cert needs --tls-ca: the CA that signed the coordinator's certificate")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "testshard-worker")
        logger.logLevel = level

        let options: WorkerOptions
        do {
            options = try makeOptions()
        } catch {
            FileHandle.standardError.write(Data("testshard-worker: \(error)\n".utf8))
            throw ExitCode(2)
        }
        logger[metadataKey: "worker"] = "\(options.name)"
        if let limit = options.threadLimit {
            logger.info(
                "numeric libraries limited to \(limit.threads) thread(s) per shard where nothing sets them",
                metadata: [
                    "cores": "\(ProcessInfo.processInfo.activeProcessorCount)",
                    "shards_on_host": "\(shardsAtOnce)",
                ]
            )
        }
        let agent = WorkerAgent(options: options, logger: logger)
        let service = WorkerService(agent: agent)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        // The default folder is this process's own (its pid in the name): nothing else will use it
        // again, and a worker started once a night would otherwise leave one behind every night.
        // A folder given with --scratch is the operator's and stays.
        if scratch == nil { agent.removeScratch() }
        throw ExitCode(service.exit.withLock { $0 }.rawValue)
    }

    private func makeOptions() throws -> WorkerOptions {
        let rootPath = URL(fileURLWithPath: root).standardizedFileURL.path
        let configFile = try config ?? SuiteConfiguration.locate(in: rootPath)
        let suite = try SuiteConfiguration.load(file: configFile)
        let token = try AuthToken(contentsOfFile: tokenFile)
        let host = ProcessInfo.processInfo.hostName
        // TLS: the command line, else `[tls]` in this worker's config, else plain TCP.
        let tlsFiles: WorkerTLS.Files? =
            if let tlsCa {
                WorkerTLS.Files(ca: absolute(tlsCa), certificate: tlsCert.map(absolute), key: tlsKey.map(absolute))
            } else if let files = suite.tls {
                WorkerTLS.Files(
                    ca: files.caFile,
                    certificate: files.certFile,
                    key: files.keyFile,
                    configFile: configFile
                )
            } else {
                nil
            }
        let tls = try tlsFiles.map { files throws(TLSFileError) in try WorkerTLS.clientContext(files) }
        let scratchDirectory =
            scratch
            ?? URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("testshard-worker-\(ProcessInfo.processInfo.processIdentifier)").path
        return WorkerOptions(
            coordinator: HostPort(parsing: coordinator)!,
            suite: suite,
            slots: slots,
            token: token,
            name: name ?? host,
            hostname: host,
            exitAfterRun: once,
            scratchDirectory: scratchDirectory,
            shutdownGrace: DurationText.seconds(shutdownGrace) ?? 60,
            giveUpAfter: giveUpAfter.flatMap(DurationText.seconds),
            tls: tls,
            tlsFiles: tlsFiles,
            revision: GitInfo.revision(root: suite.root),
            dirty: GitInfo.isDirty(root: suite.root) ?? false,
            threadLimit: ThreadLimit.Setting(parsing: threadSetting)?.limit(
                cores: ProcessInfo.processInfo.activeProcessorCount,
                shardsAtOnce: shardsAtOnce
            )
        )
    }
}

private func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        .standardizedFileURL.path
}

/// Runs the agent inside the service group so SIGTERM/SIGINT become a graceful shutdown.
final class WorkerService: Service, Sendable {
    let agent: WorkerAgent
    let exit = Mutex<WorkerAgent.Exit>(.clean)

    init(agent: WorkerAgent) { self.agent = agent }

    func run() async throws {
        let agent = self.agent
        let result = await withGracefulShutdownHandler {
            await agent.run()
        } onGracefulShutdown: {
            agent.requestShutdown(reason: "the worker received SIGTERM")
        }
        exit.withLock { $0 = result }
    }
}

@main
enum WorkerMain {
    /// Usage errors exit 2, as for the coordinator (argument-parser's default is 64).
    static func main() async {
        do {
            var command = try WorkerCommand.parseAsRoot()
            if let worker = command as? WorkerCommand {
                try await worker.run()
            } else {
                try command.run()
            }
        } catch {
            if WorkerCommand.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((WorkerCommand.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            WorkerCommand.exit(withError: error)
        }
    }
}
