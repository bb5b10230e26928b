import NIOCore

/// Bytes in, `ProtocolMessage`s out: `FrameDecoder` and `MessageCoder` in one
/// `ByteToMessageDecoder`, so a pipeline (and an `NIOAsyncChannel<ProtocolMessage, _>`) reads typed
/// messages.
///
/// Any bad input — an oversized or empty frame, invalid JSON, an unknown type, a missing field — is
/// thrown as a `ProtocolError`, which `ByteToMessageHandler` fires through the pipeline
/// (`errorCaught`) and an `NIOAsyncChannel` rethrows from its inbound sequence. The shell then
/// feeds it to its connection state machine (`decodeFailed`), which answers "send `error`, then
/// close". A connection that ends mid-frame gives `truncated_frame`.
public struct ProtocolMessageDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = ProtocolMessage

    private var frames: FrameDecoder
    private let coder: MessageCoder

    public init(limits: FrameLimits = .default) {
        self.frames = FrameDecoder(limits: limits)
        self.coder = MessageCoder(maximumFrameLength: limits.maximumFrameLength)
    }

    /// The next complete message in `buffer`, or `nil` when more bytes are needed.
    public mutating func nextMessage(from buffer: inout ByteBuffer) throws(ProtocolError) -> ProtocolMessage? {
        guard let frame = try frames.nextFrame(from: &buffer) else { return nil }
        return try coder.decode(frame)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = try nextMessage(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(message))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if seenEOF, let error = frames.leftoverError(buffer) {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            throw error
        }
        return .needMoreData
    }
}
