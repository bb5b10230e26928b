import Foundation
import Logging
import TestShardConfig
import TestShardModel

/// The worker processes `run --local-workers N` starts on loopback: real `testshard-worker`
/// processes, exactly what a remote host would run, each with its log in the report folder.
final class LocalWorkerPool: @unchecked Sendable {
    // @unchecked: `processes` is written once in `start` before any other access, then only read.
    private var processes: [(name: String, process: Process)] = []
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// The worker binary: `--worker-binary`, `$TESTSHARD_WORKER`, or `testshard-worker` beside this
    /// executable (the way SwiftPM and the container image lay them out).
    static func workerBinary(explicit: String?) -> String {
        if let explicit { return explicit }
        if let fromEnvironment = ProcessInfo.processInfo.environment["TESTSHARD_WORKER"] { return fromEnvironment }
        let me =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("testshard-worker").path
    }

    struct Launch {
        var binary: String
        var coordinator: HostPort
        var root: String
        var configFile: String
        var tokenFile: String
        /// The coordinator's TLS files: local workers present its certificate as their client
        /// certificate, so it must allow client use and name 127.0.0.1.
        var tls: TLSFilesConfiguration?
        var slots: Int
        var logDirectory: String
        var environment: [String: String]
    }

    /// Starts `count` workers named `local-1` … `local-N`.
    func start(count: Int, launch: Launch) throws {
        guard FileManager.default.isExecutableFile(atPath: launch.binary) else {
            throw LocalWorkerError(
                message: "the worker binary \(launch.binary) is missing or not executable; build it with "
                    + "`swift build -c release` or pass --worker-binary"
            )
        }
        try FileManager.default.createDirectory(atPath: launch.logDirectory, withIntermediateDirectories: true)
        for index in 1...max(1, count) {
            let name = "local-\(index)"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: launch.binary)
            process.arguments = [
                "--coordinator", launch.coordinator.description,
                "--root", launch.root,
                "--config", launch.configFile,
                "--token-file", launch.tokenFile,
                "--slots", "\(launch.slots)",
                // They all run on this host: divide its cores among all their shards.
                "--shards-on-host", "\(max(1, count) * launch.slots)",
                "--name", name,
                "--once",
                "--give-up-after", "60s",
                "--shutdown-grace", "10s",
            ]
            if let tls = launch.tls {
                process.arguments? += ["--tls-ca", tls.caFile, "--tls-cert", tls.certFile, "--tls-key", tls.keyFile]
            }
            var environment = ProcessInfo.processInfo.environment
            for (key, value) in launch.environment { environment[key] = value }
            environment["TESTSHARD_WORKER_NAME"] = name
            process.environment = environment
            let logPath = launch.logDirectory + "/\(name).log"
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            try process.run()
            processes.append((name, process))
            logger.debug(
                "started local worker",
                metadata: ["worker": "\(name)", "pid": "\(process.processIdentifier)"]
            )
        }
    }

    /// Process ids, for tests that kill one.
    var processIDs: [String: Int32] {
        Dictionary(uniqueKeysWithValues: processes.map { ($0.name, $0.process.processIdentifier) })
    }

    /// Waits up to `grace` seconds for the workers to exit after the drain, then stops the rest
    /// (SIGTERM, then SIGKILL).
    func stop(grace: Double) async {
        let deadline = Date().addingTimeInterval(grace)
        while processes.contains(where: { $0.process.isRunning }) && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for (name, process) in processes where process.isRunning {
            logger.warning("local worker did not exit after the run; terminating", metadata: ["worker": "\(name)"])
            process.terminate()
        }
        let killAt = Date().addingTimeInterval(5)
        while processes.contains(where: { $0.process.isRunning }) && Date() < killAt {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for (_, process) in processes where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
    }
}

struct LocalWorkerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
