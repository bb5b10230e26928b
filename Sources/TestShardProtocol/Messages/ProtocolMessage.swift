/// Every message of the TestShard wire protocol, both directions.
///
/// On the wire each is one JSON object with a `type` key and the message's own snake_case keys,
/// inside one length-prefixed frame (see `FrameDecoder`). Unknown keys are ignored so a newer peer
/// can add fields; an unknown `type` is an error (`ProtocolError.Code.unknownType`).
///
/// Handshake, in order:
///
///     worker                         coordinator
///       | ---- hello ------------------> |   version, name, slots, revision
///       | <--- challenge --------------- |   version, nonce, run id
///       | ---- auth -------------------> |   HMAC(token; nonce, name, run id)
///       | <--- welcome ----------------- |   worker id, heartbeat interval, lease timeout
///       |          (or `error`, then close)
///
/// Then: `assign`/`cancel`/`drain` one way; `heartbeat`/`shard_started`/`shard_result`/`refuse`/
/// `goodbye` the other.
public enum ProtocolMessage: Hashable, Sendable {
    // Worker → coordinator
    /// First message of a worker; see `HelloMessage`.
    case hello(HelloMessage)
    /// The answer to `challenge`; see `AuthMessage`.
    case auth(AuthMessage)
    /// Lease renewal; see `HeartbeatMessage`.
    case heartbeat(HeartbeatMessage)
    /// A shard's command started; see `ShardStartedMessage`.
    case shardStarted(ShardStartedMessage)
    /// A shard attempt ended; see `ShardResultMessage`.
    case shardResult(ShardResultMessage)
    /// The worker will not run a shard; see `RefuseMessage`.
    case refuse(RefuseMessage)
    /// The worker's last message; see `GoodbyeMessage`.
    case goodbye(GoodbyeMessage)

    // Coordinator → worker
    /// First message of the coordinator; see `ChallengeMessage`.
    case challenge(ChallengeMessage)
    /// Authentication succeeded; see `WelcomeMessage`.
    case welcome(WelcomeMessage)
    /// Work; see `AssignMessage`.
    case assign(AssignMessage)
    /// Stop a shard attempt; see `CancelMessage`.
    case cancel(CancelMessage)
    /// No more work; see `DrainMessage`.
    case drain(DrainMessage)
    /// The connection is refused and about to close; see `ErrorMessage`.
    case error(ErrorMessage)

    /// The wire `type` of this message.
    public var type: MessageType {
        switch self {
        case .hello: .hello
        case .auth: .auth
        case .heartbeat: .heartbeat
        case .shardStarted: .shardStarted
        case .shardResult: .shardResult
        case .refuse: .refuse
        case .goodbye: .goodbye
        case .challenge: .challenge
        case .welcome: .welcome
        case .assign: .assign
        case .cancel: .cancel
        case .drain: .drain
        case .error: .error
        }
    }
}
