import NIOCore

/// Splits a byte stream into frames: a 4-byte big-endian body length, then that many bytes of body.
///
///     +--------+--------+--------+--------+-----------------------------+
///     |        body length (UInt32, BE)   |  body: one JSON message     |
///     +--------+--------+--------+--------+-----------------------------+
///
/// For example, three reads
///
///     +-------------------------+-------------------------+-------------+
///     | 00 00 00 02 7B 7D 00 00 | 00 0A 7B 22 74 79 70 65 | 22 3A 31 7D |
///     +-------------------------+-------------------------+-------------+
///
/// decode into two frames, whatever the read boundaries:
///
///     +-------------+-------+-------------+--------------+
///     | 00 00 00 02 |  {}   | 00 00 00 0A | {"type":1}   |
///     +-------------+-------+-------------+--------------+
///
/// (the message layer then rejects both: no `type`, and a `type` that is not a string).
///
/// The length is checked against `FrameLimits` as soon as its 4 bytes are there, before anything of
/// the body is read or buffered: a peer that declares 4 GiB gets `frame_too_large` at once, not a
/// 4 GiB allocation. A zero length is `empty_frame`. After an error the decoder stays failed (NIO's
/// `ByteToMessageHandler` drops further input); the connection is meant to be closed.
///
/// `nextFrame(from:)` is the whole algorithm and needs no channel, so the fuzzer and tests can
/// drive it directly; the `ByteToMessageDecoder` conformance wraps it for a pipeline.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = ByteBuffer

    /// The limits in force.
    public let limits: FrameLimits
    /// Complete frames decoded so far (the first few are held to the handshake limit).
    public private(set) var framesDecoded = 0

    public init(limits: FrameLimits = .default) {
        self.limits = limits
    }

    /// The next complete frame's body, `nil` when more bytes are needed, or an error for a length
    /// that is zero or above the limit. Consumes the frame's bytes only when it returns one.
    public mutating func nextFrame(from buffer: inout ByteBuffer) throws(ProtocolError) -> ByteBuffer? {
        guard let declared = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        let length = Int(declared)
        let limit = limits.limit(afterFrames: framesDecoded)
        if length == 0 {
            throw ProtocolError(
                code: .emptyFrame,
                message: "a frame declares a length of 0; every frame holds one JSON message"
            )
        }
        if length > limit {
            throw ProtocolError.frameTooLarge(
                length: length,
                limit: limit,
                handshake: framesDecoded < limits.handshakeFrameCount
            )
        }
        guard buffer.readableBytes >= 4 + length else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        // `readSlice` cannot fail here: the bytes were counted just above.
        guard let body = buffer.readSlice(length: length) else { return nil }
        framesDecoded += 1
        return body
    }

    /// The error for bytes left over when the connection ended, or `nil` when it ended between
    /// frames.
    public func leftoverError(_ buffer: ByteBuffer) -> ProtocolError? {
        guard buffer.readableBytes > 0 else { return nil }
        let declared = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self)
        let what =
            declared.map { "\(buffer.readableBytes - 4) of the \($0) bytes of a frame body" }
            ?? "\(buffer.readableBytes) of the 4 length bytes of a frame"
        return ProtocolError(
            code: .truncatedFrame,
            message: "the connection ended after \(what)"
        )
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try nextFrame(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if seenEOF, let error = leftoverError(buffer) {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            throw error
        }
        return .needMoreData
    }
}
