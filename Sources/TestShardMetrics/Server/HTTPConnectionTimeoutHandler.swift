import NIOCore
import NIOHTTP1

/// Closes a connection that keeps the server waiting. One timer at a time:
///
/// ```
///  accepted ──▶ waiting for a request ──head──▶ in a request ──response .end──▶ waiting for a request …
///               (idleTimeout)                   (requestTimeout)
/// ```
///
/// It sits after the HTTP decoder, so a client dribbling a request head a byte at a time never
/// produces a `.head` and is cut off by the idle timer; one dribbling a body is cut off by the
/// request timer, as is a response that never gets written. With `HTTPServerPipelineHandler`
/// before it, a pipelined request's head only arrives here once the previous response has ended.
final class HTTPConnectionTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// What the connection was waiting for when its timer fired.
    enum Wait: Sendable {
        /// The next request's head (none seen yet, or the previous response is written).
        case nextRequest
        /// The rest of a request, or its response.
        case requestAndResponse
    }

    private let idleTimeout: TimeAmount
    private let requestTimeout: TimeAmount
    private let timedOut: @Sendable (Wait) -> Void
    private var timer: Scheduled<Void>?

    /// `timedOut` is told before the connection is closed (for a log line).
    init(idleTimeout: TimeAmount, requestTimeout: TimeAmount, timedOut: @escaping @Sendable (Wait) -> Void) {
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.timedOut = timedOut
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(.nextRequest, context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(.nextRequest, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { arm(.requestAndResponse, context: context) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Armed before passing the write on: the pipelining handler may deliver the next buffered
        // request head while handling this `.end`, and that head must re-arm the request timer.
        if case .end = unwrapOutboundIn(data) { arm(.nextRequest, context: context) }
        context.write(data, promise: promise)
    }

    private func arm(_ wait: Wait, context: ChannelHandlerContext) {
        cancel()
        let timeout = wait == .nextRequest ? idleTimeout : requestTimeout
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.timer = nil
            self.timedOut(wait)
            context.close(promise: nil)
        }
    }

    private func cancel() {
        timer?.cancel()
        timer = nil
    }
}

@available(*, unavailable)
extension HTTPConnectionTimeoutHandler: Sendable {}
