import NIOCore

/// The first handler of a pipeline that looks only at the peer's first read: when `matches` says
/// those bytes are the wrong kind of traffic (a TLS ClientHello on a plain listener, a TLS alert in
/// answer to a plain `hello`), it fires `error` instead of letting the frame decoder report a
/// frame of hundreds of megabytes. Otherwise it removes itself, so it costs nothing afterwards.
/// One read decides: a TLS peer sends its whole first record at once.
public final class FirstReadGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    private let matches: (ByteBufferView) -> Bool
    private let error: any Error
    private var decided = false

    /// A guard that fails the channel with `error` when `matches` holds for the first read.
    public init(error: any Error, matches: @escaping (ByteBufferView) -> Bool) {
        self.matches = matches
        self.error = error
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !decided else {
            context.fireChannelRead(data)
            return
        }
        decided = true
        if matches(Self.unwrapInboundIn(data).readableBytesView) {
            context.fireErrorCaught(error)
            return
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
