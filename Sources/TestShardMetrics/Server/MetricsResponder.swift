import NIOCore
import NIOHTTP1
import Synchronization
import TestShardNIOSupport

/// The part of the server the accept loop and the connections share: configuration, the snapshot
/// source, the log, and the count of open connections.
final class MetricsResponder: Sendable {
    let configuration: MetricsServer.Configuration
    let snapshot: @Sendable () async -> MetricsSnapshot
    let log: @Sendable (MetricsServer.LogRecord) -> Void
    /// Connections being served, and connections over the limit waiting for their 503.
    private let openConnections = Mutex((served: 0, refusing: 0))

    /// What happens to an accepted connection.
    private enum Admission {
        /// Served as usual.
        case serve
        /// Over the limit: 503 to its first request.
        case refuse
        /// So far over the limit (a flood) that even a 503 would hold too many sockets: closed at once.
        case drop
    }

    init(
        configuration: MetricsServer.Configuration,
        snapshot: @escaping @Sendable () async -> MetricsSnapshot,
        log: @escaping @Sendable (MetricsServer.LogRecord) -> Void
    ) {
        self.configuration = configuration
        self.snapshot = snapshot
        self.log = log
    }

    /// HTTP/1.1 with pipelining assistance (one request at a time reaches us), 400-and-close on a
    /// parse error, the head size limits, and the timeouts. Runs on the channel's event loop.
    func configurePipeline(for channel: any Channel) throws {
        var limits = NIOHTTPDecoderLimitConfiguration()
        // The decoder counts the request target against these too, so a huge URL is refused as well.
        limits.maxHeaderFieldSize = configuration.maxHeaderBytes
        limits.maxHeaderListSize = configuration.maxHeaderBytes
        limits.maxHeaderFieldCount = configuration.maxHeaderCount
        let pipeline = channel.pipeline.syncOperations
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: true,
            withServerUpgrade: nil,
            withErrorHandling: true,
            withOutboundHeaderValidation: true,
            withEncoderConfiguration: HTTPResponseEncoder.Configuration(),
            withDecoderLimitConfiguration: limits
        )
        let log = self.log
        let peer = channel.remoteAddress.map { "\($0)" } ?? "unknown peer"
        try pipeline.addHandler(
            HTTPConnectionTimeoutHandler(
                idleTimeout: Self.timeAmount(configuration.idleTimeoutSeconds),
                requestTimeout: Self.timeAmount(configuration.requestTimeoutSeconds),
                timedOut: { wait in
                    let waitingFor = wait == .nextRequest ? "a request" : "the rest of a request or its response"
                    log(
                        .init(
                            level: .debug,
                            message: "closing metrics connection: timed out waiting for \(waitingFor)",
                            metadata: ["peer": peer]
                        )
                    )
                }
            )
        )
    }

    /// Accepts until the listener closes or the task is cancelled; each connection runs in a child
    /// task, so returning means every connection has ended.
    func acceptConnections(
        _ listener: NIOAsyncChannel<MetricsServer.Connection, Never>,
        unserved: UnservedConnections<HTTPServerRequestPart, HTTPServerResponsePart>
    ) async {
        do {
            try await listener.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        unserved.take(connection)
                        let limit = configuration.maxConnections
                        let admission = openConnections.withLock { open -> Admission in
                            if open.served < limit {
                                open.served += 1
                                return .serve
                            }
                            if open.refusing < limit {
                                open.refusing += 1
                                return .refuse
                            }
                            return .drop
                        }
                        group.addTask {
                            switch admission {
                            case .serve:
                                await self.serve(connection, admitted: true)
                                self.openConnections.withLock { $0.served -= 1 }
                            case .refuse:
                                await self.serve(connection, admitted: false)
                                self.openConnections.withLock { $0.refusing -= 1 }
                            case .drop:
                                try? await connection.executeThenClose { _, _ in }
                            }
                        }
                    }
                }
            }
        } catch is CancellationError {
        } catch {
            log(.init(level: .error, message: "metrics listener stopped", metadata: ["error": "\(error)"]))
        }
        await unserved.closeAll()
    }

    /// Answers requests on one connection until the client closes it, asks to close, or breaks
    /// the rules. A connection over the limit gets 503 to its first request and is closed: HTTP
    /// has no way to answer before a request arrives (and NIO's pipelining handler traps on it).
    private func serve(_ connection: MetricsServer.Connection, admitted: Bool) async {
        let channel = connection.channel
        let peer = channel.remoteAddress.map { "\($0)" } ?? "unknown peer"
        do {
            try await connection.executeThenClose { inbound, _ in
                var pending: (head: HTTPRequestHead, bodyBytes: Int)? = nil
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        pending = (head, 0)
                        if !admitted {
                            try await refuse(head: head, channel: channel)
                            return
                        }
                        let declared = head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
                        if declared > configuration.maxBodyBytes {
                            try await tooLarge(head: head, peer: peer, channel: channel)
                            return
                        }
                    case .body(let buffer):
                        guard var request = pending else { continue }
                        request.bodyBytes += buffer.readableBytes
                        pending = request
                        if request.bodyBytes > configuration.maxBodyBytes {
                            try await tooLarge(head: request.head, peer: peer, channel: channel)
                            return
                        }
                    case .end:
                        guard let request = pending else { continue }
                        pending = nil
                        let route = MetricsRoute(method: request.head.method, uri: request.head.uri)
                        let response = await MetricsHTTPResponse.answering(route, snapshot: snapshot)
                        let keepAlive = request.head.isKeepAlive
                        try await write(response, to: request.head, keepAlive: keepAlive, channel: channel)
                        if !keepAlive { return }
                    }
                }
            }
        } catch {
            // Garbage (after the 400 the error handler sent), a reset, or a timeout close.
            log(
                .init(
                    level: .debug,
                    message: "metrics connection ended",
                    metadata: ["peer": peer, "error": "\(error)"]
                )
            )
        }
    }

    private func tooLarge(head: HTTPRequestHead, peer: String, channel: any Channel) async throws {
        log(.init(level: .debug, message: "refusing metrics request with a large body", metadata: ["peer": peer]))
        let response = MetricsHTTPResponse.payloadTooLarge(limit: configuration.maxBodyBytes)
        try await write(response, to: head, keepAlive: false, channel: channel)
    }

    private func refuse(head: HTTPRequestHead, channel: any Channel) async throws {
        let limit = configuration.maxConnections
        log(.init(level: .warning, message: "refusing metrics connection: \(limit) already open"))
        try await write(.serviceUnavailable(limit: limit), to: head, keepAlive: false, channel: channel)
    }

    /// Writes a whole response and waits until it is handed to the socket. Written through the
    /// channel rather than the `NIOAsyncChannel` writer because the writer gives no completion: a
    /// close right after it could drop a response still queued.
    private func write(
        _ response: MetricsHTTPResponse,
        to request: HTTPRequestHead,
        keepAlive: Bool,
        channel: any Channel
    ) async throws {
        var body = channel.allocator.buffer(capacity: response.body.utf8.count)
        body.writeString(response.body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        for (name, value) in response.extraHeaders.sorted(by: { $0.key < $1.key }) {
            headers.add(name: name, value: value)
        }
        // HTTP/1.1 keeps alive unless told; HTTP/1.0 closes unless told. Say it either way.
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let version: HTTPVersion = request.version.major == 1 && request.version.minor == 0 ? .http1_0 : .http1_1
        let head = HTTPResponseHead(version: version, status: response.status, headers: headers)
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(body)), promise: nil)
        try await channel.writeAndFlush(HTTPServerResponsePart.end(nil))
    }

    /// Whole nanoseconds; the configuration is validated to at most a day, so this cannot overflow.
    private static func timeAmount(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64(seconds * 1_000_000_000))
    }
}
