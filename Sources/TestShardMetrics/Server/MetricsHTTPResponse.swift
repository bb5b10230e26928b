import NIOHTTP1

/// A complete response of the metrics server: status, the headers that depend on the route, and
/// the body. Framing headers (`Content-Length`, `Connection`) are the server's. Pure.
struct MetricsHTTPResponse: Hashable, Sendable {
    var status: HTTPResponseStatus
    var contentType = "text/plain; charset=utf-8"
    /// Headers besides `Content-Type` and the framing ones.
    var extraHeaders: [String: String] = [:]
    var body: String

    /// The response for `route`. Reads the snapshot only for the routes that show it.
    static func answering(
        _ route: MetricsRoute,
        snapshot: @Sendable () async -> MetricsSnapshot
    ) async -> MetricsHTTPResponse {
        switch route {
        case .health: return .health(await snapshot())
        case .metrics: return .metrics(await snapshot())
        case .notFound: return .notFound
        case .methodNotAllowed: return .methodNotAllowed
        }
    }

    /// 200 `ok <phase>`: the process serves. A finished run is still healthy; the coordinator
    /// exits on its own when it is done.
    static func health(_ snapshot: MetricsSnapshot) -> MetricsHTTPResponse {
        MetricsHTTPResponse(status: .ok, body: "ok \(snapshot.phase.rawValue)\n")
    }

    /// 200 with the Prometheus text.
    static func metrics(_ snapshot: MetricsSnapshot) -> MetricsHTTPResponse {
        MetricsHTTPResponse(status: .ok, contentType: PrometheusText.contentType, body: PrometheusText.render(snapshot))
    }

    static let notFound = MetricsHTTPResponse(
        status: .notFound,
        body: "not found: this server has /metrics and /healthz\n"
    )

    static let methodNotAllowed = MetricsHTTPResponse(
        status: .methodNotAllowed,
        extraHeaders: ["Allow": "GET"],
        body: "method not allowed: use GET\n"
    )

    /// A request body over the limit; the connection is closed after it.
    static func payloadTooLarge(limit: Int) -> MetricsHTTPResponse {
        MetricsHTTPResponse(
            status: .payloadTooLarge,
            body: "request body over \(limit) bytes: /metrics and /healthz take none\n"
        )
    }

    /// Too many connections open; this one is closed after it.
    static func serviceUnavailable(limit: Int) -> MetricsHTTPResponse {
        MetricsHTTPResponse(
            status: .serviceUnavailable,
            extraHeaders: ["Retry-After": "1"],
            body: "too many connections (limit \(limit)); retry later\n"
        )
    }
}
