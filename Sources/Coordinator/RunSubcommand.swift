import ArgumentParser
import Foundation
import TestShardCoordinatorKit
import TestShardModel

struct RunSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Serve one run: hand time-balanced shards to workers and write the report.",
        discussion: """
            Exit status: 0 all passed, 1 tests failed, 2 usage or config error, 3 the run could not give \
            every file a result, 4 cut short by --deadline (the report still accounts for every file).
            """
    )

    @OptionGroup var suite: SuiteOptions
    @OptionGroup var logging: LoggingOptions

    @OptionGroup var common: RunCommonOptions

    @Option(name: .customLong("category"), help: "Run only this category (repeatable: the union).")
    var categories: [String] = []

    @Option(name: .customLong("files"), parsing: .upToNextOption, help: "Run only these files or folders.")
    var files: [String] = []

    @Option(help: ArgumentHelp("Run the files listed in this file (one per line).", valueName: "file"))
    var filesFrom: String?

    @Option(
        help: ArgumentHelp("Run the test files changed since this git revision (plus [[affects]]).", valueName: "rev")
    )
    var changedSince: String?

    @Option(help: ArgumentHelp("Continue this run after a coordinator crash.", valueName: "run-id"))
    var resume: String?

    @Flag(
        help:
            "Skip the pre-flight check that compiles each pytest file changed since it last passed, before any shard goes out."
    )
    var skipPreflight = false

    func run() async throws {
        let logger = logging.bootstrap(label: "testshard-coordinator")
        var options = RunOptions(configFile: suite.config)
        options.database = suite.db
        try common.apply(to: &options)
        options.skipPreflight = skipPreflight
        options.categories = categories
        options.files = files
        options.filesFrom = filesFrom
        options.changedSince = changedSince
        options.resume = resume
        let status = await CoordinatorRun.execute(options, logger: logger)
        throw ExitCode(status.rawValue)
    }
}

/// The options `run` and `rerun` share: where workers come from, limits, report and TLS.
struct RunCommonOptions: ParsableArguments {
    @Option(help: "Start this many workers on loopback (the embedded mode: one command, one machine).")
    var localWorkers: Int = 0

    @Option(help: "Slots (concurrent shards) of each local worker.")
    var localWorkerSlots: Int = 1

    @Option(
        help: ArgumentHelp("Serve remote workers on this address (default: loopback only).", valueName: "host:port")
    )
    var listen: String?

    @Option(help: ArgumentHelp("Where report files go (default: <root>/.testshard/runs/<run-id>/).", valueName: "dir"))
    var reportDir: String?

    @Option(help: ArgumentHelp("The shared token file (generated for local workers when absent).", valueName: "file"))
    var tokenFile: String?

    @Option(help: "Hold dispatch until this many workers have joined.")
    var expectWorkers: Int = 0

    @Option(help: ArgumentHelp("How long to hold for --expect-workers (default: config).", valueName: "duration"))
    var expectWorkersTimeout: String?

    @Flag(help: "Refuse workers whose checkout is at another git revision (default: warn).")
    var requireSameRevision = false

    @Option(help: "How many times a failed test is retried (default: config `retries`).")
    var retries: Int?

    @Option(help: ArgumentHelp("Per-shard timeout (default: config `shard_timeout`).", valueName: "duration"))
    var shardTimeout: String?

    @Option(
        help: ArgumentHelp("Hand out no new work after this long; the report covers every file.", valueName: "duration")
    )
    var deadline: String?

    @Option(help: ArgumentHelp("How long running shards may go on after --deadline.", valueName: "duration"))
    var deadlineGrace: String?

    @Option(help: "Apply this profile from the config on the workers.")
    var profile: String?

    @Option(help: ArgumentHelp("Serve /healthz and /metrics here.", valueName: "host:port"))
    var metricsListen: String?

    @Option(
        help: ArgumentHelp(
            "CA that signs worker client certificates (enables mutual TLS; default: [tls] ca_file in the config).",
            valueName: "file"
        )
    )
    var tlsCa: String?

    @Option(help: ArgumentHelp("The coordinator's certificate (PEM; default: [tls] cert_file).", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The key of --tls-cert (PEM, mode 600; default: [tls] key_file).", valueName: "file"))
    var tlsKey: String?

    // Visible rather than hidden: an operator on a slow link may need more, and tests need less to
    // prove the slow-loris bound quickly.
    @Option(
        help: ArgumentHelp(
            "A connection must finish its handshake (TLS, hello, auth) within this time of connecting, "
                + "or it is closed (default: 10s).",
            valueName: "duration"
        )
    )
    var handshakeTimeout: String?

    @Option(help: "The worker binary for --local-workers (default: testshard-worker next to this one).")
    var workerBinary: String?

    func validate() throws {
        if localWorkers < 0 { throw ValidationError("--local-workers \(localWorkers): expected 0 or more") }
        if !(1...256).contains(localWorkerSlots) {
            throw ValidationError("--local-worker-slots \(localWorkerSlots): expected 1 to 256")
        }
        if let listen, HostPort(parsing: listen) == nil {
            throw ValidationError("--listen \(listen): expected host:port, e.g. 0.0.0.0:7070")
        }
        if let metricsListen, HostPort(parsing: metricsListen) == nil {
            throw ValidationError("--metrics-listen \(metricsListen): expected host:port, e.g. 127.0.0.1:9464")
        }
        if localWorkers == 0 && listen == nil {
            throw ValidationError(
                "nothing would run the tests: pass --local-workers N, or --listen HOST:PORT for remote workers"
            )
        }
        for (flag, value) in [
            ("--deadline", deadline), ("--deadline-grace", deadlineGrace), ("--shard-timeout", shardTimeout),
            ("--expect-workers-timeout", expectWorkersTimeout),
        ] {
            if let value, DurationText.seconds(value) == nil {
                throw ValidationError("\(flag) \(value): expected a duration like 45m, 90s or 1h30m")
            }
        }
        if let retries, retries < 0 { throw ValidationError("--retries \(retries): expected 0 or more") }
        if expectWorkers < 0 { throw ValidationError("--expect-workers \(expectWorkers): expected 0 or more") }
        if (tlsCa == nil) != (tlsCert == nil) || (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-ca, --tls-cert and --tls-key go together (mutual TLS)")
        }
        if let handshakeTimeout, (DurationText.seconds(handshakeTimeout) ?? 0) <= 0 {
            throw ValidationError("--handshake-timeout \(handshakeTimeout): expected a duration like 10s or 500ms")
        }
    }

    /// Copies these options into `options`.
    func apply(to options: inout RunOptions) throws {
        options.localWorkers = localWorkers
        options.localWorkerSlots = localWorkerSlots
        options.listen = listen.flatMap(HostPort.init(parsing:))
        options.reportDirectory = reportDir
        options.tokenFile = tokenFile
        options.expectWorkers = expectWorkers
        options.expectWorkersTimeout = expectWorkersTimeout.flatMap(DurationText.seconds)
        options.requireSameRevision = requireSameRevision
        options.retries = retries
        options.shardTimeout = shardTimeout.flatMap(DurationText.seconds)
        options.deadline = deadline.flatMap(DurationText.seconds)
        options.deadlineGrace = deadlineGrace.flatMap(DurationText.seconds)
        options.profile = profile
        options.metricsListen = metricsListen.flatMap(HostPort.init(parsing:))
        options.workerBinary = workerBinary
        options.handshakeTimeout = handshakeTimeout.flatMap(DurationText.seconds)
        if let tlsCa, let tlsCert, let tlsKey {
            // Checked (and the files read) when the run starts, with the same messages as `[tls]`.
            options.tls = TLSSetup.Files(ca: tlsCa, certificate: tlsCert, key: tlsKey)
        }
    }
}
