// The errors raised in more than one place, worded once.

extension ProtocolError {
    /// The peer speaks another protocol version.
    static func wrongVersion(peer: String, theirs: Int) -> ProtocolError {
        ProtocolError(
            code: .wrongVersion,
            message: "the \(peer) speaks protocol version \(theirs), this side speaks \(ProtocolVersion.current): "
                + "run the same TestShard release on the coordinator and every worker"
        )
    }

    /// A message of `type` arrived where it is not allowed; `context` says where.
    static func unexpected(_ type: MessageType, _ context: String) -> ProtocolError {
        ProtocolError(code: .unexpectedMessage, message: "unexpected \"\(type.rawValue)\" message \(context)")
    }

    /// A frame body is larger than the configured limit.
    static func frameTooLarge(length: Int, limit: Int, handshake: Bool) -> ProtocolError {
        ProtocolError(
            code: .frameTooLarge,
            message: "a frame declares \(length) bytes, above the limit of \(limit) bytes"
                + (handshake ? " for handshake messages" : "")
                + "; nothing of it was read (a peer that is not a TestShard worker, or raise the frame limit)"
        )
    }
}
