import NIOCore

/// `ProtocolMessage`s in, frames out: the outbound half of the pair with `ProtocolMessageDecoder`.
///
/// Encoding fails only for a message that JSON cannot carry (a NaN or infinite number) or that is
/// above the frame limit; NIO's `MessageToByteHandler` then fails the write and refuses later
/// writes on the channel. Senders keep numbers finite and texts bounded; a shell that cannot be sure
/// can check with `MessageCoder.encode` first.
public struct ProtocolMessageEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = ProtocolMessage

    private let coder: MessageCoder

    public init(maximumFrameLength: Int = FrameLimits.defaultMaximumFrameLength) {
        self.coder = MessageCoder(maximumFrameLength: maximumFrameLength)
    }

    public func encode(data: ProtocolMessage, out: inout ByteBuffer) throws {
        try coder.encodeFrame(data, into: &out)
    }
}
