import NIOHTTP1

/// What a request asks for, from its method and target alone. Pure, so the routing rules are tested
/// without a socket.
enum MetricsRoute: Hashable, Sendable {
    /// `GET /healthz`: `ok <phase>`.
    case health
    /// `GET /metrics`: the Prometheus text.
    case metrics
    /// A path this server does not have: 404.
    case notFound
    /// A known path with a method other than GET: 405.
    case methodNotAllowed

    /// The route for a request line. The query string is ignored (Prometheus may add parameters to
    /// a scrape URL); the path must match exactly. An unknown path is 404 whatever the method, as a
    /// 405 would claim the resource exists.
    init(method: HTTPMethod, uri: String) {
        let path = uri.prefix { $0 != "?" && $0 != "#" }
        let known: MetricsRoute
        switch path {
        case "/healthz": known = .health
        case "/metrics": known = .metrics
        default:
            self = .notFound
            return
        }
        self = method == .GET ? known : .methodNotAllowed
    }
}
