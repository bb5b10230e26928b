import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import TestShardModel
import TestShardNIOSupport
import TestShardProtocol
import TestShardScheduler

/// The TCP listener workers connect to. Each connection runs its own
/// `CoordinatorConnectionStateMachine` (handshake, authentication, routing) and talks to the run
/// through the `RunEngine`. A bad peer — garbage, an oversized frame, a wrong token, a slow-loris —
/// gets one log line, an `error` frame when possible, and a closed connection; nothing else in the
/// run notices.
final class CoordinatorServer: Sendable {
    typealias Connection = NIOAsyncChannel<ProtocolMessage, ProtocolMessage>

    /// An accepted connection and its peer's address, read at the accept: NIO forgets the address
    /// when the channel closes, and a peer refused in its TLS handshake is closed before `serve`
    /// runs — its log line must still say who it was.
    struct Accepted: Sendable {
        var connection: Connection
        var remote: SocketAddress?
    }

    struct Configuration: Sendable {
        var runID: String
        var token: AuthToken
        var limits: FrameLimits = .default
        /// A handshake must be done within this time from the accept (slow-loris bound). It is a
        /// deadline, not a read timeout: a peer trickling one byte a second does not extend it.
        var handshakeTimeout: Double = Self.defaultHandshakeTimeout
        /// After the handshake, a worker that sends nothing for this long is disconnected. Longer than
        /// the lease timeout: leases expire first (the scheduler requeues), and a worker cut off by a
        /// short partition keeps its connection, so its late messages are fenced rather than lost.
        var idleTimeout: Double
        /// How many connections may be in their handshake at once (slow-loris floods).
        var admission: HandshakeAdmission.Limits = .default
        /// Mutual TLS for every connection; `nil` serves plain TCP.
        var tls: NIOSSLContext?

        /// 10 s: a worker sends `hello` and `auth` within a round trip or two of connecting.
        static let defaultHandshakeTimeout: Double = 10
    }

    private let listener: NIOAsyncChannel<Accepted, Never>
    private let configuration: Configuration
    private let engine: RunEngine
    private let logger: Logger
    private let admission: Mutex<HandshakeAdmission>
    private let unserved: UnservedConnections<ProtocolMessage, ProtocolMessage>

    /// The address actually bound (the port is chosen by the system for `:0`).
    let boundAddress: HostPort

    private init(
        listener: NIOAsyncChannel<Accepted, Never>,
        unserved: UnservedConnections<ProtocolMessage, ProtocolMessage>,
        configuration: Configuration,
        engine: RunEngine,
        logger: Logger,
        boundAddress: HostPort
    ) {
        self.listener = listener
        self.unserved = unserved
        self.configuration = configuration
        self.engine = engine
        self.logger = logger
        self.boundAddress = boundAddress
        self.admission = Mutex(HandshakeAdmission(limits: configuration.admission))
    }

    /// Binds `address`. Throws when the address cannot be bound (in use, not local).
    static func bind(
        _ address: HostPort,
        configuration: Configuration,
        engine: RunEngine,
        logger: Logger
    ) async throws -> CoordinatorServer {
        let limits = configuration.limits
        let tls = configuration.tls
        let unserved = UnservedConnections<ProtocolMessage, ProtocolMessage>()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .bind(host: address.host, port: address.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    } else {
                        // A TLS ClientHello on this plain listener gets one clear log line, not a 369 MB frame.
                        try channel.pipeline.syncOperations.addHandler(
                            FirstReadGuardHandler(error: TransportFailure.tlsOnPlainListener) {
                                TransportFailure.looksLikeTLSClientHello($0)
                            }
                        )
                    }
                    try channel.pipeline.syncOperations.addTestShardProtocolHandlers(limits: limits)
                    let connection = try Connection(wrappingChannelSynchronously: channel)
                    unserved.register(connection)
                    return Accepted(connection: connection, remote: channel.remoteAddress)
                }
            }
        let port = listener.channel.localAddress?.port ?? address.port
        return CoordinatorServer(
            listener: listener,
            unserved: unserved,
            configuration: configuration,
            engine: engine,
            logger: logger,
            boundAddress: HostPort(host: address.host, port: port)
        )
    }

    /// Accepts connections until `close()`, then ends the connections still open and returns.
    ///
    /// Stop it with `close()` rather than by cancelling its task, so the connections already
    /// accepted are served (and refused) like any other. Either way, a connection NIO set up but
    /// never handed to the loop is closed by `UnservedConnections` — NIO traps on one that is just
    /// dropped.
    func run() async {
        do {
            try await listener.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await accepted in inbound {
                        unserved.take(accepted.connection)
                        group.addTask { await self.serve(accepted.connection, remote: accepted.remote) }
                    }
                    // The listener is closed: end the connections still open (a worker that never
                    // said goodbye, a peer in its handshake).
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
        } catch {
            logger.error("listener stopped", metadata: ["error": "\(error)"])
        }
        let closed = await unserved.closeAll()
        if closed > 0 {
            logger.debug("closed connections that arrived as the listener closed", metadata: ["count": "\(closed)"])
        }
    }

    /// Closes the listener (running connections end with their tasks).
    func close() async {
        try? await listener.channel.close()
    }

    // MARK: - One connection

    private enum Event: Sendable {
        case message(ProtocolMessage)
        case decodeFailed(ProtocolError)
        /// The transport failed under the protocol (TLS handshake, reset).
        case transportFailed(any Error)
        case inboundEnded
        case tick
        case engine(RunEngine.ConnectionCommand)
        case engineDone
    }

    private func serve(_ connection: Connection, remote: SocketAddress?) async {
        let peer = remote.map { "\($0)" } ?? "unknown peer"
        let host = remote?.ipAddress ?? peer
        switch admission.withLock({ $0.admit(host: host) }) {
        case .admitted:
            break
        case .tooManyFromHost(let pending, let limit):
            logger.warning(
                "\("refusing connection: \(pending) connections from \(host) are already in their handshake (limit \(limit))")",
                metadata: ["peer": "\(peer)"]
            )
            try? await connection.executeThenClose { _, _ in }
            return
        case .tooManyInTotal(let pending, let limit):
            logger.warning(
                "\("refusing connection: \(pending) connections are already in their handshake (limit \(limit))")",
                metadata: ["peer": "\(peer)"]
            )
            try? await connection.executeThenClose { _, _ in }
            return
        }
        let release = HandshakeRelease { [self] in admission.withLock { $0.release(host: host) } }
        defer { release.run() }
        do {
            try await connection.executeThenClose { inbound, outbound in
                await handle(
                    peer: peer,
                    channel: connection.channel,
                    inbound: inbound,
                    outbound: outbound,
                    handshakeEnded: release
                )
            }
        } catch {
            logger.debug("connection ended", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
    }

    private func handle(
        peer: String,
        channel: any Channel,
        inbound: NIOAsyncChannelInboundStream<ProtocolMessage>,
        outbound: NIOAsyncChannelOutboundWriter<ProtocolMessage>,
        handshakeEnded: HandshakeRelease
    ) async {
        var generator = SystemRandomNumberGenerator()
        var machine = CoordinatorConnectionStateMachine(
            configuration: .init(
                runID: configuration.runID,
                softwareVersion: TestShardVersion.current,
                token: configuration.token
            ),
            nonce: AuthNonce(using: &generator)
        )
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        let (commands, commandSink) = AsyncStream.makeStream(of: RunEngine.ConnectionCommand.self)
        let acceptedAt = Date().timeIntervalSince1970
        let connectionID = UUID()
        var lastHeard = acceptedAt
        var worker: WorkerID? = nil

        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await message in inbound { continuation.yield(.message(message)) }
                    continuation.yield(.inboundEnded)
                } catch let error as ProtocolError {
                    continuation.yield(.decodeFailed(error))
                } catch {
                    continuation.yield(.transportFailed(error))
                }
            }
            // Ticks fine enough for short handshake deadlines (tests use 1 s), coarse enough to cost
            // nothing.
            let tickInterval = min(0.5, max(0.05, configuration.handshakeTimeout / 10))
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(tickInterval))
                    continuation.yield(.tick)
                }
            }
            group.addTask {
                for await command in commands { continuation.yield(.engine(command)) }
                continuation.yield(.engineDone)
            }

            var closing = false
            func write(_ message: ProtocolMessage) async {
                do { try await outbound.write(message) } catch { closing = true }
            }

            loop: for await event in events {
                var action: CoordinatorConnectionStateMachine.Action = .none
                switch event {
                case .message(let message):
                    lastHeard = Date().timeIntervalSince1970
                    action = machine.messageReceived(message)
                case .decodeFailed(let error):
                    action = machine.decodeFailed(error)
                case .transportFailed(let error):
                    if TransportFailure.isTLSError(error) {
                        // The connection is unusable: log the one line, nothing can be sent.
                        let failure = TransportFailure.serverSide("\(error)")
                        logger.warning(
                            "closing connection: \(failure.description)",
                            metadata: ["peer": "\(peer)", "worker": "\(machine.workerName ?? "-")"]
                        )
                    } else {
                        logger.debug("connection failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
                    }
                    action = machine.connectionClosed()
                    closing = true
                case .inboundEnded:
                    action = machine.connectionClosed()
                    closing = true
                case .tick:
                    let now = Date().timeIntervalSince1970
                    if !machine.isAuthenticated && worker == nil && now - acceptedAt > configuration.handshakeTimeout {
                        action = machine.idleTimeout(seconds: now - acceptedAt)
                    } else if worker != nil && now - lastHeard > configuration.idleTimeout {
                        action = machine.idleTimeout(seconds: now - lastHeard)
                    }
                case .engine(.send(let message)):
                    await write(message)
                case .engine(.close(let reason)):
                    logger.info("closing connection: \(reason)", metadata: ["peer": "\(peer)"])
                    // The engine already let go of this connection; do not unregister the worker again.
                    worker = nil
                    closing = true
                case .engineDone:
                    // The engine let go of this worker (it was unregistered); nothing more to send.
                    break
                }
                // Carry out the action; some actions lead to another (a refusal after acceptance).
                while true {
                    switch action {
                    case .none:
                        break
                    case .sendChallenge(let challenge):
                        await write(.challenge(challenge))
                    case .acceptWorker(let hello):
                        switch await engine.register(hello, peer: peer, connection: connectionID, sink: commandSink) {
                        case .success:
                            worker = WorkerID(hello.workerName)
                            lastHeard = Date().timeIntervalSince1970
                            handshakeEnded.run()
                        case .failure(let refusal):
                            action = machine.closeRequested(refusal)
                            continue
                        }
                    case .forward(let report):
                        if let worker,
                            let violation = await engine.received(report, from: worker, connection: connectionID)
                        {
                            action = machine.closeRequested(violation)
                            continue
                        }
                    case .closeWithError(let error):
                        logger.warning(
                            "closing connection: \(error.description)",
                            metadata: ["peer": "\(peer)", "worker": "\(machine.workerName ?? "-")"]
                        )
                        if error.code == .badMAC { await engine.authenticationFailed() }
                        await write(.error(ErrorMessage(error)))
                        closing = true
                    case .unregisterWorker:
                        if let registered = worker {
                            worker = nil
                            await engine.connectionClosed(registered, connection: connectionID)
                        }
                    }
                    break
                }
                if closing {
                    if let registered = worker {
                        // Close reported by the state machine as `unregisterWorker`; make sure.
                        let closeAction = machine.connectionClosed()
                        if case .unregisterWorker = closeAction {
                            worker = nil
                            await engine.connectionClosed(registered, connection: connectionID)
                        }
                    }
                    break loop
                }
            }
            outbound.finish()
            // Closing the channel ends the reader task; then the rest.
            try? await channel.close()
            continuation.finish()
            commandSink.finish()
            group.cancelAll()
        }
    }
}

/// Gives a connection's handshake slot back exactly once: when the worker is accepted, or when the
/// connection ends before that.
final class HandshakeRelease: Sendable {
    private let release: Mutex<(@Sendable () -> Void)?>

    init(_ release: @escaping @Sendable () -> Void) {
        self.release = Mutex(release)
    }

    func run() {
        let release = self.release.withLock { current -> (@Sendable () -> Void)? in
            defer { current = nil }
            return current
        }
        release?()
    }
}
