/// The `type` discriminator of every message, as it appears on the wire.
public enum MessageType: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case hello
    case auth
    case heartbeat
    case shardStarted = "shard_started"
    case shardResult = "shard_result"
    case refuse
    case goodbye
    case challenge
    case welcome
    case assign
    case cancel
    case drain
    case error

    /// Which side sends messages of this type.
    public enum Sender: String, Hashable, Sendable {
        case worker
        case coordinator
    }

    /// The side that sends this type; the other side only ever receives it.
    public var sender: Sender {
        switch self {
        case .hello, .auth, .heartbeat, .shardStarted, .shardResult, .refuse, .goodbye: .worker
        case .challenge, .welcome, .assign, .cancel, .drain, .error: .coordinator
        }
    }

    public var description: String { rawValue }
}
