import Foundation
import Logging
import NIOSSL
import TestShardConfig
import TestShardExecution
import TestShardModel
import TestShardProtocol

/// Everything a worker needs to run: where the coordinator is, the suite it runs, and how.
public struct WorkerOptions: Sendable {
    /// The coordinator's address.
    public var coordinator: HostPort
    /// The suite as this worker has it: its own checkout and its own config. The command that runs
    /// comes from here, never from the coordinator.
    public var suite: SuiteConfiguration
    /// How many shards run at once.
    public var slots: Int
    /// The shared secret.
    public var token: AuthToken
    /// A name unique among the run's workers (`host-1`); shows in the report.
    public var name: String
    /// The host name reported to the coordinator.
    public var hostname: String
    /// Exit after the first run drains (CI jobs, local workers); otherwise wait for the next run.
    public var exitAfterRun: Bool
    /// Where shards keep their items file, JUnit and output while they run.
    public var scratchDirectory: String
    /// How long, after SIGTERM, running shards may take to finish before they are handed back.
    public var shutdownGrace: Double
    /// How long a handshake may take before the connection is dropped.
    public var handshakeTimeout: Double
    /// Connection attempts back off from `initialBackoff` doubling to `maximumBackoff` seconds.
    public var initialBackoff: Double
    public var maximumBackoff: Double
    /// A worker that cannot reach the coordinator for this long gives up (exit 1); `nil` retries
    /// forever (a service).
    public var giveUpAfter: Double?
    /// Client TLS, when the coordinator requires it.
    public var tls: NIOSSLContext?
    /// The files `tls` was made from, for messages about TLS failures.
    public var tlsFiles: WorkerTLS.Files?
    /// The git revision of `suite.root`, reported in `hello`.
    public var revision: String?
    public var dirty: Bool
    /// Threads each shard's numeric libraries may start, set through their environment variables
    /// where nothing else sets them (`ThreadLimit`); `nil` leaves the environment alone.
    public var threadLimit: ThreadLimit?

    public init(
        coordinator: HostPort,
        suite: SuiteConfiguration,
        slots: Int,
        token: AuthToken,
        name: String,
        hostname: String,
        exitAfterRun: Bool,
        scratchDirectory: String,
        shutdownGrace: Double = 60,
        handshakeTimeout: Double = 10,
        initialBackoff: Double = 0.25,
        maximumBackoff: Double = 10,
        giveUpAfter: Double? = nil,
        tls: NIOSSLContext? = nil,
        tlsFiles: WorkerTLS.Files? = nil,
        revision: String? = nil,
        dirty: Bool = false,
        threadLimit: ThreadLimit? = nil
    ) {
        self.coordinator = coordinator
        self.suite = suite
        self.slots = slots
        self.token = token
        self.name = name
        self.hostname = hostname
        self.exitAfterRun = exitAfterRun
        self.scratchDirectory = scratchDirectory
        self.shutdownGrace = shutdownGrace
        self.handshakeTimeout = handshakeTimeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.giveUpAfter = giveUpAfter
        self.tls = tls
        self.tlsFiles = tlsFiles
        self.revision = revision
        self.dirty = dirty
        self.threadLimit = threadLimit
    }

    var hello: HelloMessage {
        HelloMessage(
            workerName: name,
            hostname: hostname,
            slots: slots,
            revision: revision,
            dirty: dirty,
            runner: suite.runner.rawValue,
            softwareVersion: TestShardVersion.current,
            pid: Int(getpid())
        )
    }
}
