import ArgumentParser
import Foundation
import TestShardModel
import TestShardProtocol
import TestShardReport

/// `testshard-bench load`: one real coordinator process, many workers speaking the real protocol
/// (issue 8.5: 200 workers, 100,000 test results; peak RSS < 300 MB).
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Run a real `testshard-coordinator run --listen` against N protocol-speaking load workers.",
        discussion: """
            The suite is generated (FILES empty test files); each load worker answers every assign at \
            once with TESTS passing results per file. Reported: the coordinator's CPU time and peak RSS \
            (wait4 of the child, and /proc while it runs), and the dispatch latency each worker sees \
            from sending a result to receiving its next assign.
            """
    )

    @Option(help: "Load workers (connections).") var workers = 200
    @Option(help: "Slots each load worker announces (it answers at once, so 1 is the usual).") var slots = 1
    @Option(help: "Files in the generated suite.") var files = 10_000
    @Option(help: "Test results per file.") var testsPerFile = 10
    @Option(help: "Seconds a load worker holds each shard before answering (0: at once, the coordinator's worst case).")
    var shardSeconds = 0.0
    @Option(help: "The coordinator binary (default: testshard-coordinator next to this one).")
    var coordinator: String?
    @Option(help: "Folder for the scratch files (default: the temporary folder).") var workDir: String?
    @Flag(help: "Keep the scratch files (suite, database, report, coordinator output).") var keep = false

    func run() async throws {
        print(Machine.describe())
        let binary = coordinator ?? Self.sibling("testshard-coordinator")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationError(
                "no coordinator binary at \(binary): build it (swift build -c release) or pass --coordinator"
            )
        }
        let scratch = try Scratch(named: "load", under: workDir, keep: keep)
        defer { scratch.remove() }
        let root = scratch.path + "/suite"
        let suiteFiles = (0..<files).map { "tests/pkg\($0 % 100)/test_load_\($0).py" }
        try Scratch.writeSuite(at: root, files: suiteFiles, command: "python3 -m pytest -q --junitxml={junit} {files}")
        let tokenPath = scratch.path + "/token"
        let token = try AuthToken.createFile(atPath: tokenPath)
        let arguments = [
            binary, "run", "--config", root + "/testshard.toml", "--listen", "127.0.0.1:0", "--token-file", tokenPath,
            "--expect-workers", "\(workers)", "--db", scratch.path + "/history.sqlite",
            "--report-dir", scratch.path + "/report",
            // The pre-flight compiles every file in a python3 child; wait4 would add its CPU to the
            // coordinator's, and what is measured here is the coordinator.
            "--skip-preflight",
        ]
        print("coordinator: \(arguments.joined(separator: " "))")
        let spawnedAt = Stopwatch.now()
        let child = try ChildProcess(
            arguments: arguments,
            stdoutPath: scratch.path + "/coordinator.out",
            stderrPath: scratch.path + "/coordinator.err"
        )
        let port = try await Self.listeningPort(child)
        let listeningAt = Stopwatch.now()
        let cpuAtListen = child.cpuSeconds() ?? .nan

        // Sample the coordinator while it runs: peak RSS and CPU at the phase boundaries.
        let observations = LoadClient.Observations()
        let sampler = Task {
            var peak = 0
            while !Task.isCancelled {
                if let hwm = child.memoryKiB("VmHWM") { peak = max(peak, hwm) } else { break }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return peak
        }

        let client = LoadClient(
            host: "127.0.0.1",
            port: port,
            token: token,
            testsPerFile: testsPerFile,
            slots: slots,
            shardSeconds: shardSeconds
        )
        let workerCount = workers
        let clientStart = Stopwatch.now()
        let clientCPUStart = Stopwatch.processCPU()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<workerCount {
                group.addTask { await client.serve(index: index, observations: observations) }
            }
            group.addTask {
                // The moment the last worker is welcomed, read the coordinator's CPU so far.
                while !Task.isCancelled && observations.state.withLock({ $0.ended }) < workerCount {
                    if observations.state.withLock({ $0.welcomed.count }) >= workerCount {
                        let cpu = child.cpuSeconds()
                        observations.state.withLock { $0.coordinatorCPUAtJoin = cpu }
                        break
                    }
                    try? await Task.sleep(for: .milliseconds(5))
                }
            }
            await group.waitForAll()
        }
        let clientsDone = Stopwatch.now()
        let clientCPU = Stopwatch.processCPU() - clientCPUStart
        let cpuAtDrain = child.cpuSeconds() ?? .nan
        let exit = await child.wait()
        let exitedAt = Stopwatch.now()
        sampler.cancel()
        let sampledPeak = await sampler.value
        let seen = observations.state.withLock { $0 }
        let cpuAtJoin = seen.coordinatorCPUAtJoin ?? .nan

        let output = (try? String(contentsOfFile: child.stdoutPath, encoding: .utf8)) ?? ""
        let reportTests = Self.reportTestCount(scratch.path + "/report/report.json")
        let latencies = seen.latencies
        let firstAssign = seen.firstAssign.min() ?? .nan
        let lastResult = seen.lastResultSent
        let allJoined = seen.welcomed.max() ?? .nan
        let dispatchWall = lastResult - firstAssign
        func pct(_ p: Double) -> String { Stopwatch.ms(Stopwatch.percentile(latencies, p)) }

        print(
            """
            workers: \(workers) × \(slots) slot(s), each holding a shard \(shardSeconds) s; suite: \(files) files × \(testsPerFile) tests = \(files * testsPerFile) results expected
            coordinator exit status: \(exit.status); output: \(Self.lastLines(output))
            results sent by the load workers: \(seen.results) in \(seen.shards) shards; tests in report.json: \(reportTests.map(String.init) ?? "unreadable")
            connections made again before their welcome (as a worker reconnects): \(seen.reconnects)
            errors: \(seen.errors.count)\(seen.errors.prefix(5).map { "\n  " + $0 }.joined())
            timeline (s from spawn): listening \(Self.f(listeningAt - spawnedAt)), all \(seen.welcomed.count) joined \(Self.f(allJoined - spawnedAt)), \
            first assign \(Self.f(firstAssign - spawnedAt)), last result \(Self.f(lastResult - spawnedAt)), \
            all drained \(Self.f((seen.drained.max() ?? .nan) - spawnedAt)), coordinator exited \(Self.f(exitedAt - spawnedAt))
            dispatch: \(seen.results) results in \(Self.f(dispatchWall)) s = \(Int(Double(seen.results) / dispatchWall)) results/s, \
            \(Int(Double(seen.shards) / dispatchWall)) shards/s
            dispatch latency (result sent → next assign received, \(latencies.count) samples): p50 \(pct(50)), p90 \(pct(90)), \
            p99 \(pct(99)), p99.9 \(pct(99.9)), max \(Stopwatch.ms(latencies.max() ?? .nan))
            coordinator CPU: \(Self.f(exit.userSeconds + exit.systemSeconds)) s total (user \(Self.f(exit.userSeconds)), \
            system \(Self.f(exit.systemSeconds))); startup to listening \(Self.f(cpuAtListen)) s, \
            to all joined \(Self.f(cpuAtJoin)) s, to all drained \(Self.f(cpuAtDrain)) s \
            (run: \(Self.f(cpuAtDrain - cpuAtJoin)) s for \(seen.results) results = \
            \(String(format: "%.1f", (cpuAtDrain - cpuAtJoin) / Double(max(seen.results, 1)) * 1e6)) µs/result); \
            report + exit \(Self.f(exit.userSeconds + exit.systemSeconds - cpuAtDrain)) s
            coordinator peak RSS: \(exit.maxRSSKiB / 1024) MiB (wait4 ru_maxrss), \(sampledPeak / 1024) MiB (VmHWM sampled)
            load client: \(Self.f(clientCPU)) s CPU over \(Self.f(clientsDone - clientStart)) s (it shares the 2 cores)
            load after: \(Machine.loadAverage())
            """
        )
        if exit.status != 0 || !seen.errors.isEmpty || reportTests != files * testsPerFile {
            print(
                "FAILED: expected exit 0, no errors and \(files * testsPerFile) tests in the report (rerun with --keep)"
            )
            throw ExitCode(1)
        }
    }

    static func f(_ value: Double) -> String { String(format: "%.2f", value) }

    /// The coordinator's closing summary, on one line.
    static func lastLines(_ text: String) -> String {
        text.split(separator: "\n").suffix(4).joined(separator: " | ")
    }

    /// A binary in the same folder as this one.
    static func sibling(_ name: String) -> String {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Waits for `testshard: run …; listening on HOST:PORT` in the coordinator's output.
    static func listeningPort(_ child: ChildProcess) async throws -> Int {
        let deadline = Stopwatch.now() + 60
        while Stopwatch.now() < deadline {
            if let text = try? String(contentsOfFile: child.stdoutPath, encoding: .utf8),
                let range = text.range(of: "listening on ")
            {
                let address = text[range.upperBound...].prefix { !$0.isWhitespace }
                if let port = address.split(separator: ":").last.flatMap({ Int($0) }) { return port }
            }
            if child.cpuSeconds() == nil {
                let errors = (try? String(contentsOfFile: child.stderrPath, encoding: .utf8)) ?? ""
                throw BenchError("the coordinator ended before listening:\n\(errors.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        child.signal(SIGTERM)
        throw BenchError("the coordinator did not print its address within 60 s (see \(child.stdoutPath))")
    }

    /// How many tests the written report.json counts (its summary: `tests` lists only the
    /// non-passing ones).
    static func reportTestCount(_ path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path), let report = try? ReportJSON.decode(data) else {
            return nil
        }
        return report.summary.tests.total
    }
}
