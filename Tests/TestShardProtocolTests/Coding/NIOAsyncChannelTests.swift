import NIOCore
import NIOEmbedded
import TestShardProtocol
import Testing

/// The way the shells will read: an `NIOAsyncChannel<ProtocolMessage, ProtocolMessage>` over the
/// protocol handlers.
@Suite struct NIOAsyncChannelTests {
    @Test func messagesArriveThenTheDecodeErrorIsThrownAndTheErrorFrameCanStillBeWritten() async throws {
        let channel = NIOAsyncTestingChannel()
        let connection = try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addTestShardProtocolHandlers()
            return try NIOAsyncChannel<ProtocolMessage, ProtocolMessage>(wrappingChannelSynchronously: channel)
        }
        var machine = CoordinatorConnectionStateMachine(
            configuration: .init(runID: Fixtures.runID, softwareVersion: "0.2.0", token: Fixtures.token),
            nonce: Fixtures.nonce
        )

        try await connection.executeThenClose { inbound, outbound in
            let hello = try MessageCoder().encodeFrame(.hello(Fixtures.hello))
            // The error also travels on to the pipeline's tail, which the testing channel rethrows.
            await #expect(throws: ProtocolError.self) {
                try await channel.writeInbound(ByteBuffer(bytes: hello + [0xFF, 0xFF, 0xFF, 0xFF]))
            }

            var received: [ProtocolMessage] = []
            var failure: ProtocolError?
            do {
                for try await message in inbound { received.append(message) }
            } catch let error as ProtocolError {
                failure = error
            }
            #expect(received == [.hello(Fixtures.hello)])
            let decodeError = try #require(failure)
            #expect(decodeError.code == .frameTooLarge)

            // What the coordinator's shell does next: answer with an `error` frame, then close.
            _ = machine.messageReceived(received[0])
            guard case .closeWithError(let error) = machine.decodeFailed(decodeError) else {
                Issue.record("a decode error must close the connection with an error")
                return
            }
            try await outbound.write(.error(ErrorMessage(error)))
            var written = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
            var decoder = ProtocolMessageDecoder()
            #expect(try decoder.nextMessage(from: &written) == .error(ErrorMessage(error)))
        }
    }
}
