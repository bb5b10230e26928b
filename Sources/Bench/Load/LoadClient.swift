import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TestShardModel
import TestShardProtocol

/// Many workers in one process, each a real TCP connection speaking the real protocol: `hello`,
/// HMAC `auth` (through `WorkerConnectionStateMachine`, as the worker does), heartbeats, and for
/// every `assign` at once a `shard_started` and a `shard_result` with synthetic passing tests for
/// its items — a worker whose tests take no time, so what is measured is the coordinator.
struct LoadClient: Sendable {
    var host: String
    var port: Int
    var token: AuthToken
    /// Tests reported for an item that is a whole file.
    var testsPerFile: Int
    var slots: Int
    /// Seconds to hold each shard before answering, as if its tests ran (0: answer at once).
    var shardSeconds: Double = 0

    /// What the connections saw, shared between them.
    final class Observations: Sendable {
        struct State {
            var welcomed: [Double] = []
            var firstAssign: [Double] = []
            /// Result sent → next assign received, per connection (seconds).
            var latencies: [Double] = []
            var shards = 0
            var results = 0
            var drained: [Double] = []
            var lastResultSent = 0.0
            var errors: [String] = []
            /// The coordinator's CPU seconds when the last worker was welcomed (set by the caller).
            var coordinatorCPUAtJoin: Double? = nil
            /// Connections that have ended.
            var ended = 0
            /// Connections closed before their welcome and made again, as a worker reconnects (the
            /// coordinator refuses handshakes beyond its per-address limit, 32, from one host).
            var reconnects = 0
        }

        let state = Mutex(State())
    }

    /// How one connection's handshake went; `closed` until the coordinator welcomes it or refuses
    /// it for good (the token), and `closed` still when it just closed the connection.
    final class Handshake: Sendable {
        enum Outcome { case closed, welcomed, failed }
        let outcome = Mutex(Outcome.closed)
    }

    /// A connection closed before its welcome is made again after a jittered backoff doubling
    /// from 0.25 s to 10 s, as `WorkerAgent` does, at most this many times.
    static let maximumConnections = 30

    /// Connects worker `index`, takes work until drained, says goodbye. A connection that ends
    /// before its welcome (the coordinator refuses handshakes beyond its limit from one address) is
    /// made again, as a worker would; an error after the welcome is counted.
    func serve(index: Int, observations: Observations) async {
        defer { observations.state.withLock { $0.ended += 1 } }
        var backoff = 0.25
        var lastError = "closed before its welcome"
        for connection in 1...Self.maximumConnections {
            let handshake = Handshake()
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(.seconds(30))
                    .connect(host: host, port: port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addTestShardProtocolHandlers()
                            return try NIOAsyncChannel<ProtocolMessage, ProtocolMessage>(
                                wrappingChannelSynchronously: channel
                            )
                        }
                    }
                try await channel.executeThenClose { inbound, outbound in
                    try await converse(
                        index: index,
                        inbound: inbound,
                        outbound: outbound,
                        observations: observations,
                        handshake: handshake
                    )
                }
                if handshake.outcome.withLock({ $0 }) != .closed { return }
            } catch {
                if handshake.outcome.withLock({ $0 }) == .welcomed {
                    observations.state.withLock { $0.errors.append("worker \(index): \(error)") }
                    return
                }
                lastError = "\(error)"
            }
            if connection == Self.maximumConnections { break }
            observations.state.withLock { $0.reconnects += 1 }
            try? await Task.sleep(for: .seconds(backoff * Double.random(in: 0.5...1.5)))
            backoff = min(backoff * 2, 10)
        }
        observations.state.withLock {
            $0.errors.append("worker \(index): no welcome in \(Self.maximumConnections) connections (\(lastError))")
        }
    }

    private func converse(
        index: Int,
        inbound: NIOAsyncChannelInboundStream<ProtocolMessage>,
        outbound: NIOAsyncChannelOutboundWriter<ProtocolMessage>,
        observations: Observations,
        handshake: Handshake
    ) async throws {
        let hello = HelloMessage(
            workerName: "load-\(index)",
            hostname: "loadhost",
            slots: slots,
            revision: nil,
            dirty: false,
            runner: "pytest",
            softwareVersion: TestShardVersion.current,
            pid: Int(getpid())
        )
        var machine = WorkerConnectionStateMachine(configuration: .init(hello: hello, token: token))
        var heartbeats: Task<Void, Never>? = nil
        defer { heartbeats?.cancel() }
        var lastResultSent: Double? = nil
        if case .sendHello(let message) = machine.connected() { try await outbound.write(.hello(message)) }
        loop: for try await message in inbound {
            let received = Stopwatch.now()
            switch machine.messageReceived(message) {
            case .none:
                break
            case .sendHello(let message):
                try await outbound.write(.hello(message))
            case .sendAuth(let auth):
                try await outbound.write(.auth(auth))
            case .ready(let welcome):
                handshake.outcome.withLock { $0 = .welcomed }
                observations.state.withLock { $0.welcomed.append(received) }
                let interval = welcome.heartbeatInterval
                heartbeats = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(interval))
                        // Results go out as soon as an assign arrives: nothing is ever running.
                        try? await outbound.write(.heartbeat(HeartbeatMessage(running: [])))
                    }
                }
            case .forward(.assign(let assign)):
                if let last = lastResultSent {
                    let latency = received - last
                    observations.state.withLock { $0.latencies.append(latency) }
                } else {
                    observations.state.withLock { $0.firstAssign.append(received) }
                }
                if shardSeconds > 0 { try await Task.sleep(for: .seconds(shardSeconds)) }
                let result = self.result(for: assign)
                try await outbound.write(
                    .shardStarted(
                        ShardStartedMessage(
                            shardID: assign.shardID,
                            attempt: assign.attempt,
                            slot: 0,
                            command: result.command,
                            startedAt: result.startedAt
                        )
                    )
                )
                try await outbound.write(.shardResult(result))
                let sent = Stopwatch.now()
                lastResultSent = sent
                observations.state.withLock {
                    $0.shards += 1
                    $0.results += result.tests.count
                    $0.lastResultSent = max($0.lastResultSent, sent)
                }
            case .forward(.cancel):
                break
            case .forward(.drain):
                observations.state.withLock { $0.drained.append(received) }
                if case .sendGoodbyeAndClose(let goodbye) = machine.readyToLeave(handedBack: []) {
                    try await outbound.write(.goodbye(goodbye))
                }
                outbound.finish()
                break loop
            case .sendRefuse(let refuse):
                try await outbound.write(.refuse(refuse))
            case .sendGoodbyeAndClose(let goodbye):
                try await outbound.write(.goodbye(goodbye))
                outbound.finish()
                break loop
            case .close:
                outbound.finish()
                break loop
            case .fail(let error, _):
                handshake.outcome.withLock { $0 = .failed }
                observations.state.withLock { $0.errors.append("worker \(index): \(error.description)") }
                outbound.finish()
                break loop
            }
        }
    }

    /// A finished shard: every item passed, `testsPerFile` tests for a file, one for a node id.
    func result(for assign: AssignMessage) -> ShardResultMessage {
        let now = Date().timeIntervalSince1970
        var tests: [TestCaseResult] = []
        tests.reserveCapacity(assign.items.count * testsPerFile)
        for item in assign.items {
            let file = item.file
            let classname = String(file.dropLast(file.hasSuffix(".py") ? 3 : 0)).replacingOccurrences(
                of: "/",
                with: "."
            )
            let names = item.test.map { [$0] } ?? (0..<testsPerFile).map { "test_case_\($0)" }
            for name in names {
                tests.append(
                    TestCaseResult(
                        id: "\(file)::\(name)",
                        file: file,
                        classname: classname,
                        name: name,
                        status: .passed,
                        duration: 0.001
                    )
                )
            }
        }
        return ShardResultMessage(
            shardID: assign.shardID,
            attempt: assign.attempt,
            slot: 0,
            startedAt: now,
            endedAt: now,
            exit: ShardExit(kind: .ok, code: 0),
            tests: tests,
            command: ["load-client", "\(assign.items.count) items"],
            junitState: .ok
        )
    }
}
