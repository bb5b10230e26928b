import TestShardModel

/// The worker's side of its connection to the coordinator: the handshake, then routing, then an
/// orderly goodbye.
///
///     idle ──connected──> awaitingChallenge ──challenge──> awaitingWelcome ──welcome──> ready
///                                                                                      │
///                                          drain, or shutdownRequested (SIGTERM) ──> stopping
///                                                                                      │
///                     any error, `error` frame, timeout, lost connection, readyToLeave ──> closed
///
/// Pure, one instance per connection (a reconnect starts a new one). The shell feeds events and
/// carries out the returned `Action`. `fail(error, fatal:)` tells it whether reconnecting can help:
/// a wrong token, a wrong version or a policy refusal cannot, so the worker stops and exits
/// non-zero with `error.description` instead of retrying forever.
public struct WorkerConnectionStateMachine: Sendable {
    /// Who this worker is and the secret it proves.
    public struct Configuration: Sendable {
        /// The first message, sent as is.
        public var hello: HelloMessage
        /// The shared token.
        public var token: AuthToken

        public init(hello: HelloMessage, token: AuthToken) {
            self.hello = hello
            self.token = token
        }
    }

    /// What the shell must do after an event.
    public enum Action: Hashable, Sendable {
        /// Nothing; keep reading.
        case none
        /// Send this `hello`; arm the handshake timeout.
        case sendHello(HelloMessage)
        /// Send this `auth`.
        case sendAuth(AuthMessage)
        /// The handshake is done: disarm the handshake timeout, start heartbeats every
        /// `heartbeatInterval` seconds, take work.
        case ready(WelcomeMessage)
        /// Carry out this command (check every item of an `assign` before running anything, and
        /// answer `refuse` when one fails; on `drain`, finish or hand back and call `readyToLeave`).
        case forward(CoordinatorCommand)
        /// Send this `refuse`: work arrived while the worker is stopping.
        case sendRefuse(RefuseMessage)
        /// Send this `goodbye`, then close the connection. The connection's work is over.
        case sendGoodbyeAndClose(GoodbyeMessage)
        /// Close the connection without a message (shutdown before the handshake finished).
        case close
        /// Close the connection and log `error.description`. If `fatal`, do not reconnect: exit
        /// non-zero (a wrong token, a wrong version, a refusal by policy). Otherwise reconnect with
        /// backoff, with a new machine for the new connection.
        case fail(ProtocolError, fatal: Bool)
    }

    enum State: Sendable {
        /// Not connected yet.
        case idle
        /// `hello` sent; waiting for `challenge`.
        case awaitingChallenge
        /// `auth` sent for the challenge of run `runID`; waiting for `welcome`.
        case awaitingWelcome(runID: String)
        /// Registered; commands are forwarded.
        case ready(WelcomeMessage)
        /// Taking no new work (`drain` received, or shutdown requested for `reason`); waiting for
        /// the shell to finish or hand back its shards.
        case stopping(WelcomeMessage, reason: String)
        /// The connection is over; every event is ignored.
        case closed
    }

    let configuration: Configuration
    var state: State = .idle

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The welcome received, once the handshake is done (the worker id, heartbeat interval).
    public var welcome: WelcomeMessage? {
        switch state {
        case .ready(let welcome), .stopping(let welcome, _): welcome
        case .idle, .awaitingChallenge, .awaitingWelcome, .closed: nil
        }
    }

    // MARK: - Events

    /// The TCP (or TLS) connection is up.
    public mutating func connected() -> Action {
        guard case .idle = state else { return .none }
        state = .awaitingChallenge
        return .sendHello(configuration.hello)
    }

    /// A message arrived from the coordinator.
    public mutating func messageReceived(_ message: ProtocolMessage) -> Action {
        if case .error(let refusal) = message, !isClosed {
            let error = ProtocolError(received: refusal)
            return fail(error, fatal: error.isFatalForWorker)
        }
        if message.type.sender == .worker, !isClosed {
            return fail(.unexpected(message.type, "from the coordinator: only a worker sends it"), fatal: false)
        }
        switch state {
        case .idle:
            return fail(.unexpected(message.type, "before this worker said hello"), fatal: false)

        case .awaitingChallenge:
            guard case .challenge(let challenge) = message else {
                return fail(.unexpected(message.type, "during the handshake: expected challenge"), fatal: false)
            }
            guard challenge.protocolVersion == ProtocolVersion.current else {
                return fail(.wrongVersion(peer: "coordinator", theirs: challenge.protocolVersion), fatal: true)
            }
            guard let nonce = AuthNonce(base64: challenge.nonce) else {
                return fail(
                    ProtocolError(
                        code: .invalidField,
                        message: "the challenge's nonce \(LogText.quoted(challenge.nonce)) is not base64 of "
                            + "\(AuthNonce.byteCount) bytes"
                    ),
                    fatal: false
                )
            }
            state = .awaitingWelcome(runID: challenge.runID)
            let mac = HandshakeAuthenticator.mac(
                token: configuration.token,
                nonce: nonce,
                workerName: configuration.hello.workerName,
                runID: challenge.runID
            )
            return .sendAuth(AuthMessage(mac: mac))

        case .awaitingWelcome(let runID):
            guard case .welcome(let welcome) = message else {
                return fail(.unexpected(message.type, "during the handshake: expected welcome"), fatal: false)
            }
            guard welcome.runID == runID else {
                return fail(
                    ProtocolError(
                        code: .invalidField,
                        message: "the welcome names run \(LogText.quoted(welcome.runID)) but the challenge "
                            + "named \(LogText.quoted(runID))"
                    ),
                    fatal: false
                )
            }
            state = .ready(welcome)
            return .ready(welcome)

        case .ready(let welcome):
            switch message {
            case .assign(let assign): return .forward(.assign(assign))
            case .cancel(let cancel): return .forward(.cancel(cancel))
            case .drain(let drain):
                state = .stopping(welcome, reason: "drained: \(drain.reason)")
                return .forward(.drain(drain))
            default:
                return fail(.unexpected(message.type, "after the handshake"), fatal: false)
            }

        case .stopping(_, let reason):
            switch message {
            case .assign(let assign):
                return .sendRefuse(
                    RefuseMessage(
                        shardID: assign.shardID,
                        attempt: assign.attempt,
                        reason: "the worker is stopping (\(reason))"
                    )
                )
            case .cancel(let cancel): return .forward(.cancel(cancel))
            case .drain: return .none
            default:
                return fail(.unexpected(message.type, "after the handshake"), fatal: false)
            }

        case .closed:
            return .none
        }
    }

    /// The inbound bytes could not be decoded.
    public mutating func decodeFailed(_ error: ProtocolError) -> Action {
        if isClosed { return .none }
        return fail(error, fatal: false)
    }

    /// Nothing arrived for `seconds`. Only the handshake has a deadline: once ready, a coordinator
    /// with no work for this worker is silent, and that is fine.
    public mutating func idleTimeout(seconds: Double) -> Action {
        switch state {
        case .awaitingChallenge, .awaitingWelcome:
            return fail(
                ProtocolError(
                    code: .handshakeTimeout,
                    message: "the coordinator did not complete the handshake within \(DurationText.format(seconds))"
                ),
                fatal: false
            )
        case .idle, .ready, .stopping, .closed:
            return .none
        }
    }

    /// The worker was asked to stop (SIGTERM). It takes no new work; the shell finishes or stops
    /// its shards, then calls `readyToLeave(handedBack:)`.
    public mutating func shutdownRequested(reason: String) -> Action {
        switch state {
        case .ready(let welcome):
            state = .stopping(welcome, reason: reason)
            return .none
        case .stopping:
            return .none
        case .awaitingChallenge, .awaitingWelcome:
            state = .closed
            return .close
        case .idle:
            state = .closed
            return .none
        case .closed:
            return .none
        }
    }

    /// Every shard has finished or been stopped; `handedBack` lists the attempts stopped without a
    /// result. Says goodbye and ends the connection.
    public mutating func readyToLeave(handedBack: [ShardAttemptRef]) -> Action {
        switch state {
        case .ready:
            state = .closed
            return .sendGoodbyeAndClose(GoodbyeMessage(reason: "worker finished", handedBack: handedBack))
        case .stopping(_, let reason):
            state = .closed
            return .sendGoodbyeAndClose(GoodbyeMessage(reason: reason, handedBack: handedBack))
        case .awaitingChallenge, .awaitingWelcome:
            state = .closed
            return .close
        case .idle, .closed:
            state = .closed
            return .none
        }
    }

    /// The connection closed.
    public mutating func connectionClosed() -> Action {
        switch state {
        case .idle, .closed:
            state = .closed
            return .none
        case .awaitingChallenge, .awaitingWelcome:
            return fail(
                ProtocolError(
                    code: .connectionClosed,
                    message: "the coordinator closed the connection during the handshake, without saying why"
                ),
                fatal: false
            )
        case .ready, .stopping:
            return fail(
                ProtocolError(code: .connectionClosed, message: "the connection to the coordinator was lost"),
                fatal: false
            )
        }
    }

    // MARK: - Helpers

    private var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    private mutating func fail(_ error: ProtocolError, fatal: Bool) -> Action {
        state = .closed
        return .fail(error, fatal: fatal)
    }
}
