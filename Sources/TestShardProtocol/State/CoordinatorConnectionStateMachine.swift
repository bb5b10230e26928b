import TestShardModel

/// The coordinator's side of one worker connection: the handshake, then routing.
///
///     awaitingHello ──hello──> awaitingAuth ──auth (MAC ok)──> authenticated ──goodbye──> leaving
///          │                       │                               │                        │
///          └───── any error, bad MAC, timeout, wrong message ──────┴──────> closing ──> closed
///                                                     (connection closed, from any state) ──┘
///
/// Pure: the shell feeds it events (a decoded message, a decode error, a timeout, the connection
/// closing) and carries out the returned `Action`. One instance per connection; the nonce it is
/// given is used for that connection's one `auth` and never again.
///
/// Shell loop, in outline:
///
/// ```swift
/// var machine = CoordinatorConnectionStateMachine(configuration: config, nonce: AuthNonce(using: &rng))
/// do { for try await message in inbound { try await run(machine.messageReceived(message)) } }
/// catch let error as ProtocolError { try await run(machine.decodeFailed(error)) }
/// run(machine.connectionClosed())
/// ```
public struct CoordinatorConnectionStateMachine: Sendable {
    /// What the coordinator tells every worker, and the secret it checks them against.
    public struct Configuration: Sendable {
        /// The run workers join; sent in `challenge` and bound into the MAC.
        public var runID: String
        /// The coordinator binary's version, sent in `challenge`.
        public var softwareVersion: String
        /// The shared token.
        public var token: AuthToken

        public init(runID: String, softwareVersion: String, token: AuthToken) {
            self.runID = runID
            self.softwareVersion = softwareVersion
            self.token = token
        }
    }

    /// What the shell must do after an event.
    public enum Action: Hashable, Sendable {
        /// Nothing; keep reading.
        case none
        /// Send this `challenge` to the worker. Keep the handshake timeout running.
        case sendChallenge(ChallengeMessage)
        /// The worker proved it holds the token. Register it with the scheduler and send `welcome`;
        /// to refuse it instead (duplicate name, `--require-same-revision`), call
        /// `closeRequested(_:)` and carry out what it returns. From now on reset the idle timer to
        /// the lease timeout.
        case acceptWorker(HelloMessage)
        /// Pass this report to the scheduler as coming from the accepted worker.
        case forward(WorkerReport)
        /// Log `error.description` (one line, with the peer's address), send
        /// `.error(ErrorMessage(error))` if the channel is still writable, then close it. The
        /// worker, if it was accepted, is unregistered when `connectionClosed()` reports it.
        case closeWithError(ProtocolError)
        /// The connection is gone: tell the scheduler this accepted worker left (its running
        /// attempts are handed back or left to their leases, as the scheduler decides). Returned
        /// exactly once for every `acceptWorker`.
        case unregisterWorker(HelloMessage)
    }

    enum State: Sendable {
        /// Connected; no `hello` yet. Holds the nonce this connection's challenge will carry.
        case awaitingHello(AuthNonce)
        /// `challenge` sent for `nonce`; waiting for the one `auth` allowed.
        case awaitingAuth(HelloMessage, AuthNonce)
        /// Authenticated and registered; reports are forwarded.
        case authenticated(HelloMessage)
        /// The worker said `goodbye`; only the close is expected.
        case leaving(HelloMessage)
        /// The coordinator is closing the connection; `registered` is the accepted worker still to
        /// be unregistered when the close is reported.
        case closing(registered: HelloMessage?)
        /// The connection closed; every event is ignored.
        case closed
    }

    let configuration: Configuration
    var state: State

    /// A machine for a new connection. `nonce` must be fresh: draw it from
    /// `SystemRandomNumberGenerator` per connection.
    public init(configuration: Configuration, nonce: AuthNonce) {
        self.configuration = configuration
        self.state = .awaitingHello(nonce)
    }

    /// The worker's name once its `hello` arrived, for log lines.
    public var workerName: String? {
        switch state {
        case .awaitingAuth(let hello, _), .authenticated(let hello), .leaving(let hello): hello.workerName
        case .closing(let registered): registered?.workerName
        case .awaitingHello, .closed: nil
        }
    }

    /// Whether the worker has authenticated and not left.
    public var isAuthenticated: Bool {
        if case .authenticated = state { return true }
        return false
    }

    // MARK: - Events

    /// A message arrived from the worker.
    public mutating func messageReceived(_ message: ProtocolMessage) -> Action {
        if message.type.sender == .coordinator, !isClosingOrClosed {
            return closeWithError(.unexpected(message.type, "from a worker: only the coordinator sends it"))
        }
        switch state {
        case .awaitingHello(let nonce):
            switch message {
            case .hello(let hello):
                guard hello.protocolVersion == ProtocolVersion.current else {
                    return closeWithError(.wrongVersion(peer: "worker", theirs: hello.protocolVersion))
                }
                state = .awaitingAuth(hello, nonce)
                return .sendChallenge(
                    ChallengeMessage(
                        nonce: nonce.base64,
                        runID: configuration.runID,
                        softwareVersion: configuration.softwareVersion
                    )
                )
            case .auth:
                return closeWithError(.unexpected(.auth, "before hello: there is no challenge to answer yet"))
            default:
                return closeWithError(
                    .unexpected(message.type, "before authentication: a worker starts with hello, then auth")
                )
            }

        case .awaitingAuth(let hello, let nonce):
            switch message {
            case .auth(let auth):
                let valid = HandshakeAuthenticator.verify(
                    mac: auth.mac,
                    token: configuration.token,
                    nonce: nonce,
                    workerName: hello.workerName,
                    runID: configuration.runID
                )
                guard valid else {
                    return closeWithError(
                        ProtocolError(
                            code: .badMAC,
                            message: "worker \(LogText.quoted(hello.workerName)) failed authentication: its token "
                                + "is not this coordinator's; give the worker the coordinator's token file"
                        )
                    )
                }
                state = .authenticated(hello)
                return .acceptWorker(hello)
            case .hello:
                return closeWithError(.unexpected(.hello, "twice: the handshake has already started"))
            default:
                return closeWithError(
                    .unexpected(message.type, "before authentication: the worker must answer the challenge first")
                )
            }

        case .authenticated(let hello):
            switch message {
            case .heartbeat(let heartbeat): return .forward(.heartbeat(heartbeat))
            case .shardStarted(let started): return .forward(.shardStarted(started))
            case .shardResult(let result): return .forward(.shardResult(result))
            case .refuse(let refuse): return .forward(.refuse(refuse))
            case .goodbye(let goodbye):
                state = .leaving(hello)
                return .forward(.goodbye(goodbye))
            case .hello, .auth:
                return closeWithError(
                    .unexpected(message.type, "after authentication: a replayed handshake is refused")
                )
            case .challenge, .welcome, .assign, .cancel, .drain, .error:
                // Rejected above by sender; kept exhaustive so a new message type is a compile error here.
                return closeWithError(.unexpected(message.type, "from a worker: only the coordinator sends it"))
            }

        case .leaving:
            return closeWithError(.unexpected(message.type, "after goodbye: a worker says nothing after goodbye"))

        case .closing, .closed:
            return .none
        }
    }

    /// The inbound bytes could not be decoded (bad frame, bad JSON, unknown type, missing field).
    public mutating func decodeFailed(_ error: ProtocolError) -> Action {
        if isClosingOrClosed { return .none }
        return closeWithError(error)
    }

    /// A time limit passed. Two timers feed this event:
    /// - before `acceptWorker`, a one-shot handshake deadline armed when the connection is accepted
    ///   (e.g. 10 s). It must be a deadline, not a read-idle timer: a slow-loris peer trickling one
    ///   byte every few seconds resets a read-idle timer forever without completing a frame.
    /// - after `acceptWorker`, a read-idle timer of the lease timeout: a worker that sends nothing
    ///   (not even heartbeats) for that long is gone, whatever TCP says.
    /// `seconds` is the limit that passed, for the message.
    public mutating func idleTimeout(seconds: Double) -> Action {
        switch state {
        case .awaitingHello, .awaitingAuth:
            return closeWithError(
                ProtocolError(
                    code: .handshakeTimeout,
                    message: "the handshake did not complete within \(DurationText.format(seconds)); "
                        + "a worker sends hello and auth at once"
                )
            )
        case .authenticated(let hello), .leaving(let hello):
            return closeWithError(
                ProtocolError(
                    code: .idleTimeout,
                    message: "worker \(LogText.quoted(hello.workerName)) sent nothing for "
                        + "\(DurationText.format(seconds)) (no heartbeat); closing its connection"
                )
            )
        case .closing, .closed:
            return .none
        }
    }

    /// The coordinator itself wants this connection closed with `error`: it refuses the accepted
    /// worker (duplicate name, revision mismatch), the worker broke the run's rules (a result for
    /// a shard it was never assigned), or the coordinator is shutting down.
    public mutating func closeRequested(_ error: ProtocolError) -> Action {
        if isClosingOrClosed { return .none }
        return closeWithError(error)
    }

    /// The channel closed (either side). Returns `unregisterWorker` if a worker had been accepted.
    public mutating func connectionClosed() -> Action {
        let registered: HelloMessage?
        switch state {
        case .authenticated(let hello), .leaving(let hello): registered = hello
        case .closing(let hello): registered = hello
        case .awaitingHello, .awaitingAuth, .closed: registered = nil
        }
        state = .closed
        return registered.map { .unregisterWorker($0) } ?? .none
    }

    // MARK: - Helpers

    private var isClosingOrClosed: Bool {
        switch state {
        case .closing, .closed: true
        default: false
        }
    }

    private mutating func closeWithError(_ error: ProtocolError) -> Action {
        switch state {
        case .authenticated(let hello), .leaving(let hello): state = .closing(registered: hello)
        case .awaitingHello, .awaitingAuth: state = .closing(registered: nil)
        case .closing, .closed: preconditionFailure("closeWithError in state \(state): callers check first")
        }
        return .closeWithError(error)
    }
}
