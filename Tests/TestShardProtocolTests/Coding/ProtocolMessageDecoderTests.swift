import NIOCore
import NIOEmbedded
import TestShardProtocol
import Testing

/// The typed pipeline the shells use: bytes in → `ProtocolMessage`, `ProtocolMessage` → bytes out.
@Suite struct ProtocolMessageDecoderTests {
    static func pipeline(limits: FrameLimits = FrameLimits(handshakeFrameCount: 0)) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addTestShardProtocolHandlers(limits: limits)
        return channel
    }

    static var stream: [UInt8] {
        Fixtures.everyMessage.flatMap { try! MessageCoder().encodeFrame($0) }
    }

    /// Writes `stream` in pieces of `piece` bytes and reads every message out.
    static func messages(_ stream: [UInt8], piece: Int) throws -> [ProtocolMessage] {
        let channel = try pipeline()
        var out: [ProtocolMessage] = []
        var offset = 0
        while offset < stream.count {
            let end = min(stream.count, offset + piece)
            try channel.writeInbound(ByteBuffer(bytes: stream[offset..<end]))
            offset = end
            while let message = try channel.readInbound(as: ProtocolMessage.self) { out.append(message) }
        }
        #expect(try channel.finish().isClean)
        return out
    }

    @Test func everyMessageInOneBuffer() throws {
        #expect(try Self.messages(Self.stream, piece: Int.max) == Fixtures.everyMessage)
    }

    @Test func everyMessageByteAtATime() throws {
        // The stream is about 100 KB (the big shard result); one byte per read is the worst case.
        #expect(try Self.messages(Self.stream, piece: 1) == Fixtures.everyMessage)
    }

    @Test func everyMessageInOddSizedReads() throws {
        for piece in [2, 3, 7, 4096, 65_537] {
            #expect(try Self.messages(Self.stream, piece: piece) == Fixtures.everyMessage)
        }
    }

    @Test func messagesWrittenOutboundAreFramesTheDecoderReads() throws {
        let channel = try Self.pipeline()
        for message in Fixtures.everyMessage { try channel.writeOutbound(message) }
        var bytes: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { bytes += buffer.readableBytesView }
        #expect(bytes == Self.stream)
        _ = try channel.finish()
    }

    @Test func aDecodeErrorSurfacesThroughThePipelineAfterTheGoodMessagesBeforeIt() throws {
        let channel = try Self.pipeline()
        let good = try MessageCoder().encodeFrame(.drain(DrainMessage(reason: "x")))
        let error = #expect(throws: ProtocolError.self) {
            try channel.writeInbound(ByteBuffer(bytes: good + Fixtures.frame(#"{"type":"ping"}"#) + good))
        }
        #expect(error?.code == .unknownType)
        #expect(try channel.readInbound(as: ProtocolMessage.self) == .drain(DrainMessage(reason: "x")))
        // Nothing after the bad frame is delivered: the connection is to be closed.
        #expect(try channel.readInbound(as: ProtocolMessage.self) == nil)
        _ = try? channel.finish()
    }

    @Test func theOutboundSideStillWorksAfterADecodeErrorSoTheErrorFrameCanBeSent() throws {
        let channel = try Self.pipeline()
        #expect(throws: ProtocolError.self) { try channel.writeInbound(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF])) }
        let refusal = ErrorMessage(ProtocolError(code: .frameTooLarge, message: "too big"))
        try channel.writeOutbound(ProtocolMessage.error(refusal))
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        var decoder = ProtocolMessageDecoder()
        var copy = written
        #expect(try decoder.nextMessage(from: &copy) == .error(refusal))
        _ = try? channel.finish()
    }

    @Test func theHandshakeLimitAppliesToTheFirstTwoMessages() throws {
        let channel = try Self.pipeline(limits: .default)
        // A 100 KB shard_result as the first message: refused on its length alone.
        let frame = try MessageCoder().encodeFrame(.shardResult(Fixtures.shardResult))
        let error = #expect(throws: ProtocolError.self) {
            try channel.writeInbound(ByteBuffer(bytes: frame.prefix(4)))
        }
        #expect(error?.code == .frameTooLarge)
        _ = try? channel.finish()
    }

    @Test func truncatedInputAtCloseIsReported() throws {
        let channel = try Self.pipeline()
        try channel.writeInbound(ByteBuffer(bytes: [0x00, 0x00]))
        let error = #expect(throws: ProtocolError.self) { try channel.finish() }
        #expect(error?.code == .truncatedFrame)
        #expect(error?.message == "the connection ended after 2 of the 4 length bytes of a frame")
    }
}
