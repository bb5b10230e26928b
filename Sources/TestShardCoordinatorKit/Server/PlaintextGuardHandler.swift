import NIOCore
import TestShardProtocol

/// On a listener without TLS, the first handler in the pipeline: if the peer's first bytes are a
/// TLS ClientHello, it fires `TransportFailure.tlsOnPlainListener` (one clear log line) instead of
/// letting the frame decoder report a 369 MB frame. Otherwise it removes itself after the first
/// read, so it costs nothing afterwards.
final class PlaintextGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var decided = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !decided else {
            context.fireChannelRead(data)
            return
        }
        decided = true
        // The first read decides: a TLS client sends its whole ClientHello at once.
        if TransportFailure.looksLikeTLSClientHello(Self.unwrapInboundIn(data).readableBytesView) {
            context.fireErrorCaught(TransportFailure.tlsOnPlainListener)
            return
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
