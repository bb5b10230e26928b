import NIOCore
import NIOEmbedded
import TestShardProtocol
import Testing

@Suite struct FrameDecoderTests {
    /// Feeds `stream` to a `FrameDecoder` in a channel, in pieces of the given sizes (the last
    /// piece takes the rest), and returns the frame bodies.
    static func frames(
        _ stream: [UInt8],
        pieces: [Int],
        limits: FrameLimits = .default
    ) throws -> [[UInt8]] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(limits: limits)))
        var offset = 0
        var out: [[UInt8]] = []
        for piece in pieces + [stream.count] where offset < stream.count {
            let end = min(stream.count, offset + max(1, piece))
            try channel.writeInbound(ByteBuffer(bytes: stream[offset..<end]))
            offset = end
            while let frame = try channel.readInbound(as: ByteBuffer.self) {
                out.append(Array(frame.readableBytesView))
            }
        }
        _ = try channel.finish()
        return out
    }

    static let bodies: [[UInt8]] = [
        Array("{}".utf8), Array(#"{"type":"drain","reason":"x"}"#.utf8), [UInt8](repeating: 0x61, count: 70_000),
        [0xFF],
    ]

    static var stream: [UInt8] { bodies.flatMap { Fixtures.frame($0) } }

    @Test func manyFramesInOneBufferComeOutInOrder() throws {
        let limits = FrameLimits(handshakeFrameCount: 0)
        #expect(try Self.frames(Self.stream, pieces: [], limits: limits) == Self.bodies)
    }

    @Test func byteAtATimeGivesTheSameFrames() throws {
        let limits = FrameLimits(handshakeFrameCount: 0)
        let stream = Self.stream
        #expect(
            try Self.frames(stream, pieces: Array(repeating: 1, count: stream.count), limits: limits) == Self.bodies
        )
    }

    @Test func splitsAtEveryPositionOfTheLengthFieldGiveTheSameFrames() throws {
        let stream = Fixtures.frame(Array("{}".utf8)) + Fixtures.frame(Array("[1]".utf8))
        for split in 1..<stream.count {
            #expect(try Self.frames(stream, pieces: [split]) == [Array("{}".utf8), Array("[1]".utf8)])
        }
    }

    @Test func theDocumentedExampleDecodesAsDocumented() throws {
        let reads: [[UInt8]] = [
            [0x00, 0x00, 0x00, 0x02, 0x7B, 0x7D, 0x00, 0x00],
            [0x00, 0x0A, 0x7B, 0x22, 0x74, 0x79, 0x70, 0x65],
            [0x22, 0x3A, 0x31, 0x7D],
        ]
        let frames = try Self.frames(reads.flatMap { $0 }, pieces: reads.map(\.count))
        #expect(frames == [Array("{}".utf8), Array(#"{"type":1}"#.utf8)])
    }

    @Test func aDeclaredFourGibibyteFrameFailsAsSoonAsItsLengthArrives() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        let error = #expect(throws: ProtocolError.self) {
            try channel.writeInbound(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x7B, 0x7D, 0x7B, 0x7D]))
        }
        #expect(error?.code == .frameTooLarge)
        #expect(error?.message.contains("4294967295") == true)
        _ = try? channel.finish()
    }

    @Test func theLengthIsJudgedWithoutWaitingForTheBody() throws {
        // Only the 4 length bytes arrive. Within the limit, the decoder waits; above it (17 MiB
        // against 16 MiB), it fails at once instead of waiting for, and buffering, the body.
        var decoder = FrameDecoder(limits: FrameLimits(handshakeFrameCount: 0))
        var within = ByteBuffer(bytes: [0x00, 0x10, 0x00, 0x00])
        #expect(try decoder.nextFrame(from: &within) == nil)
        var above = ByteBuffer(bytes: [0x01, 0x10, 0x00, 0x00])
        let error = #expect(throws: ProtocolError.self) { try decoder.nextFrame(from: &above) }
        #expect(error?.code == .frameTooLarge)
        #expect(error?.message.contains("17825792") == true)
    }

    @Test func handshakeFramesHaveTheSmallerLimitAndLaterFramesTheLargerOne() throws {
        let limits = FrameLimits(maximumFrameLength: 1000, handshakeMaximumFrameLength: 100, handshakeFrameCount: 2)
        var decoder = FrameDecoder(limits: limits)
        var buffer = ByteBuffer(bytes: Fixtures.frame([UInt8](repeating: 0x20, count: 100)))
        #expect(try decoder.nextFrame(from: &buffer)?.readableBytes == 100)
        var second = ByteBuffer(bytes: Fixtures.frame([UInt8](repeating: 0x20, count: 101)))
        let error = #expect(throws: ProtocolError.self) { try decoder.nextFrame(from: &second) }
        #expect(error?.code == .frameTooLarge)
        #expect(error?.message.contains("handshake") == true)

        var decoder2 = FrameDecoder(limits: limits)
        var two = ByteBuffer(
            bytes: Fixtures.frame([0x20]) + Fixtures.frame([0x20])
                + Fixtures.frame([UInt8](repeating: 0x20, count: 1000))
        )
        _ = try decoder2.nextFrame(from: &two)
        _ = try decoder2.nextFrame(from: &two)
        #expect(try decoder2.nextFrame(from: &two)?.readableBytes == 1000)
    }

    @Test func aZeroLengthIsAnError() throws {
        var decoder = FrameDecoder()
        var buffer = ByteBuffer(bytes: [0, 0, 0, 0, 0x7B])
        let error = #expect(throws: ProtocolError.self) { try decoder.nextFrame(from: &buffer) }
        #expect(error?.code == .emptyFrame)
    }

    @Test func theConnectionEndingMidFrameIsReported() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 10, 0x7B, 0x22]))
        let error = #expect(throws: ProtocolError.self) { try channel.finish() }
        #expect(error?.code == .truncatedFrame)
        #expect(error?.message == "the connection ended after 2 of the 10 bytes of a frame body")
    }

    @Test func theConnectionEndingBetweenFramesIsClean() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        try channel.writeInbound(ByteBuffer(bytes: Fixtures.frame("{}")))
        #expect(try channel.readInbound(as: ByteBuffer.self) != nil)
        #expect(try channel.finish().isClean)
    }

    @Test func frameEncoderWritesWhatFrameDecoderReads() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(FrameEncoder()))
        try channel.writeOutbound(ByteBuffer(string: #"{"type":"drain"}"#))
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(written.readableBytesView) == Fixtures.frame(#"{"type":"drain"}"#))
        _ = try channel.finish()
    }

    @Test func frameEncoderRefusesAnOversizedBody() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(FrameEncoder(maximumFrameLength: 4)))
        let error = #expect(throws: ProtocolError.self) {
            try channel.writeOutbound(ByteBuffer(string: "12345"))
        }
        #expect(error?.code == .encodingFailed)
        _ = try? channel.finish()
    }
}
