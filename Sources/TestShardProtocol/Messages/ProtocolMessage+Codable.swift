// One JSON object per message: the payload's keys plus `type`. The payload types decode from the
// same decoder (their keyed containers simply ignore `type`), so a frame is parsed once.

extension ProtocolMessage: Codable {
    enum TypeCodingKeys: String, CodingKey {
        case type
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeCodingKeys.self)
        let name = try container.decode(String.self, forKey: .type)
        guard let type = MessageType(rawValue: name) else {
            throw ProtocolError(
                code: .unknownType,
                message: "unknown message type \(LogText.quoted(name)); this side speaks protocol version "
                    + "\(ProtocolVersion.current) (types: \(MessageType.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        switch type {
        case .hello: self = .hello(try HelloMessage(from: decoder))
        case .auth: self = .auth(try AuthMessage(from: decoder))
        case .heartbeat: self = .heartbeat(try HeartbeatMessage(from: decoder))
        case .shardStarted: self = .shardStarted(try ShardStartedMessage(from: decoder))
        case .shardResult: self = .shardResult(try ShardResultMessage(from: decoder))
        case .refuse: self = .refuse(try RefuseMessage(from: decoder))
        case .goodbye: self = .goodbye(try GoodbyeMessage(from: decoder))
        case .challenge: self = .challenge(try ChallengeMessage(from: decoder))
        case .welcome: self = .welcome(try WelcomeMessage(from: decoder))
        case .assign: self = .assign(try AssignMessage(from: decoder))
        case .cancel: self = .cancel(try CancelMessage(from: decoder))
        case .drain: self = .drain(try DrainMessage(from: decoder))
        case .error: self = .error(try ErrorMessage(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeCodingKeys.self)
        try container.encode(type.rawValue, forKey: .type)
        switch self {
        case .hello(let message): try message.encode(to: encoder)
        case .auth(let message): try message.encode(to: encoder)
        case .heartbeat(let message): try message.encode(to: encoder)
        case .shardStarted(let message): try message.encode(to: encoder)
        case .shardResult(let message): try message.encode(to: encoder)
        case .refuse(let message): try message.encode(to: encoder)
        case .goodbye(let message): try message.encode(to: encoder)
        case .challenge(let message): try message.encode(to: encoder)
        case .welcome(let message): try message.encode(to: encoder)
        case .assign(let message): try message.encode(to: encoder)
        case .cancel(let message): try message.encode(to: encoder)
        case .drain(let message): try message.encode(to: encoder)
        case .error(let message): try message.encode(to: encoder)
        }
    }
}
