import NIOCore
import NIOHTTP1
import NIOPosix
import TestShardNIOSupport

/// The coordinator's HTTP/1.1 endpoint for operators, on its own port:
///
/// - `GET /healthz` → 200 `ok <phase>\n` (text/plain) while the process serves;
/// - `GET /metrics` → 200, the Prometheus text of the current snapshot (`PrometheusText`);
/// - any other path → 404; `/healthz` or `/metrics` with another method → 405.
///
/// A thin shell: routing and rendering are pure (`MetricsRoute`, `MetricsHTTPResponse`,
/// `PrometheusText`); this type owns sockets, limits and timeouts. A bad client — garbage, an
/// oversized head or body, a slow-loris, too many connections — gets a 4xx/5xx where HTTP allows
/// one and a closed connection; the next client is served as usual.
///
/// ```swift
/// let server = try await MetricsServer.start(host: "127.0.0.1", port: 9464) { await engine.metricsSnapshot() }
/// defer { Task { await server.stop() } }
/// ```
public final class MetricsServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// The host the server was asked to bind.
    public let host: String
    /// The port actually bound (the system's choice when started with port 0).
    public let boundPort: Int

    private let listenerChannel: any Channel
    private let acceptLoop: Task<Void, Never>

    private init(host: String, boundPort: Int, listenerChannel: any Channel, acceptLoop: Task<Void, Never>) {
        self.host = host
        self.boundPort = boundPort
        self.listenerChannel = listenerChannel
        self.acceptLoop = acceptLoop
    }

    /// Binds `host:port` and serves until `stop()`. Returns once the socket is listening, so a
    /// scrape right after succeeds.
    ///
    /// - Parameters:
    ///   - host: An address of this host (`127.0.0.1`, `0.0.0.0`, `::1`) or a name resolving to one.
    ///   - port: 0 lets the system choose; read `boundPort` afterwards.
    ///   - snapshot: Called once per `/metrics` or `/healthz` request, on the request's task. It
    ///     should be quick (an actor call that copies numbers); a request waits for it, up to
    ///     `requestTimeoutSeconds`.
    ///   - log: Told about the listener and about clients the server cut off (`LogRecord`).
    /// - Throws: `MetricsServerError` when the address or configuration is invalid or the address
    ///   cannot be bound.
    public static func start(
        host: String,
        port: Int,
        configuration: Configuration = Configuration(),
        snapshot: @escaping @Sendable () async -> MetricsSnapshot,
        log: @escaping @Sendable (LogRecord) -> Void = { _ in }
    ) async throws -> MetricsServer {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        guard !host.isEmpty, (0...65535).contains(port) else {
            throw MetricsServerError(
                code: .invalidAddress,
                message: "cannot serve metrics on '\(address)': give a host and a port from 0 to 65535, "
                    + "e.g. --metrics-listen 127.0.0.1:9464"
            )
        }
        try configuration.validate()

        let responder = MetricsResponder(configuration: configuration, snapshot: snapshot, log: log)
        let listener: NIOAsyncChannel<Connection, Never>
        // A scrape that connects as the server stops must be closed, not dropped: NIO traps on a
        // dropped connection (see UnservedConnections).
        let unserved = UnservedConnections<HTTPServerRequestPart, HTTPServerResponsePart>()
        do {
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                // A client that sends its request and then shuts down its write side (`nc -N`,
                // some probes) still gets its response.
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try responder.configurePipeline(for: channel)
                        let connection = try Connection(wrappingChannelSynchronously: channel)
                        unserved.register(connection)
                        return connection
                    }
                }
        } catch {
            throw MetricsServerError(
                code: .bindFailed,
                message: "cannot serve metrics on \(address): \(error); "
                    + "choose a free port or an address of this host with --metrics-listen"
            )
        }
        let boundPort = listener.channel.localAddress?.port ?? port
        let boundAddress = host.contains(":") ? "[\(host)]:\(boundPort)" : "\(host):\(boundPort)"
        log(LogRecord(level: .info, message: "serving metrics on \(boundAddress)", metadata: ["address": boundAddress]))
        let acceptLoop = Task { await responder.acceptConnections(listener, unserved: unserved) }
        return MetricsServer(
            host: host,
            boundPort: boundPort,
            listenerChannel: listener.channel,
            acceptLoop: acceptLoop
        )
    }

    /// Stops accepting, ends open connections (a response being written is cut short), and returns
    /// once every connection's task has ended. Calling it again does nothing more. A server that is
    /// never stopped serves until the process exits.
    public func stop() async {
        acceptLoop.cancel()
        try? await listenerChannel.close()
        await acceptLoop.value
    }
}
