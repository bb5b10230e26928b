import NIOCore

/// Writes each outbound `ByteBuffer` as one frame: 4-byte big-endian length, then the bytes.
/// The counterpart of `FrameDecoder`, for a pipeline that does its own JSON; most shells want
/// `ProtocolMessageEncoder`.
public struct FrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = ByteBuffer

    /// The largest body written; a larger one fails the write with `encoding_failed`.
    public let maximumFrameLength: Int

    public init(maximumFrameLength: Int = FrameLimits.defaultMaximumFrameLength) {
        self.maximumFrameLength = min(max(1, maximumFrameLength), FrameLimits.largestExpressibleFrameLength)
    }

    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        let length = data.readableBytes
        if length == 0 {
            throw ProtocolError(code: .encodingFailed, message: "refusing to send an empty frame")
        }
        if length > maximumFrameLength {
            throw ProtocolError(
                code: .encodingFailed,
                message: "refusing to send a frame of \(length) bytes, above the limit of \(maximumFrameLength) bytes"
            )
        }
        out.writeInteger(UInt32(length), endianness: .big)
        out.writeImmutableBuffer(data)
    }
}
