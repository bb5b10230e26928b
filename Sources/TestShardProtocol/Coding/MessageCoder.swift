import Foundation
import NIOCore

/// Turns messages into JSON frame bodies and back. Pure: no channel, no I/O.
///
/// Decoding is strict about what it needs and lenient about what it does not know: unknown keys
/// are ignored (a newer peer may add fields), a missing required key is `missing_field` naming the
/// key's path, a wrong value is `invalid_field`, an unknown `type` is `unknown_type`, anything that
/// is not a UTF-8 JSON object is `invalid_json`. Every failure is a `ProtocolError`.
public struct MessageCoder: Sendable {
    /// The largest body `encodeFrame` produces; larger messages are refused with `encoding_failed`
    /// rather than sent to a peer that would refuse them.
    public var maximumFrameLength: Int

    public init(maximumFrameLength: Int = FrameLimits.defaultMaximumFrameLength) {
        self.maximumFrameLength = min(max(1, maximumFrameLength), FrameLimits.largestExpressibleFrameLength)
    }

    // MARK: - Encoding

    /// The JSON body for `message` (keys sorted, so equal messages give equal bytes).
    public func encode(_ message: ProtocolMessage) throws(ProtocolError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(message)
        } catch {
            throw ProtocolError.encoding(error, messageType: message.type)
        }
        if data.count > maximumFrameLength {
            throw ProtocolError(
                code: .encodingFailed,
                message: "a \"\(message.type.rawValue)\" message is \(data.count) bytes, above the frame limit of "
                    + "\(maximumFrameLength) bytes: bound its log lines and error texts, or raise the limit on both sides"
            )
        }
        return [UInt8](data)
    }

    /// Appends `message` as one frame (length, then body) to `buffer`.
    public func encodeFrame(_ message: ProtocolMessage, into buffer: inout ByteBuffer) throws(ProtocolError) {
        let body = try encode(message)
        buffer.writeInteger(UInt32(body.count), endianness: .big)
        buffer.writeBytes(body)
    }

    /// `message` as one frame (length, then body).
    public func encodeFrame(_ message: ProtocolMessage) throws(ProtocolError) -> [UInt8] {
        let body = try encode(message)
        var frame: [UInt8] = []
        frame.reserveCapacity(4 + body.count)
        let length = UInt32(body.count)
        frame.append(contentsOf: [
            UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF),
        ])
        frame.append(contentsOf: body)
        return frame
    }

    // MARK: - Decoding

    /// The message in one frame body.
    public func decode(_ body: ByteBuffer) throws(ProtocolError) -> ProtocolMessage {
        try decode(Data(body.readableBytesView))
    }

    /// The message in one frame body.
    public func decode(_ body: some Collection<UInt8>) throws(ProtocolError) -> ProtocolMessage {
        try decode(Data(body))
    }

    private func decode(_ data: Data) throws(ProtocolError) -> ProtocolMessage {
        do {
            return try JSONDecoder().decode(ProtocolMessage.self, from: data)
        } catch {
            throw ProtocolError.decoding(error, messageType: Self.typeName(in: data))
        }
    }

    /// The `type` of a frame that failed to decode, for the error message; `nil` when even that
    /// cannot be read. Only runs on the error path.
    private static func typeName(in data: Data) -> String? {
        struct TypeProbe: Decodable {
            var type: String
        }
        return try? JSONDecoder().decode(TypeProbe.self, from: data).type
    }
}
