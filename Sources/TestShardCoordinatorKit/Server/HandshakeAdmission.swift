/// How many connections may be in their handshake at once, overall and from one address.
///
/// An unauthenticated connection costs a socket, a task and a timer until its handshake deadline.
/// Without a bound, one host opening connections and never finishing them (a slow-loris flood)
/// exhausts the coordinator's file descriptors, and real workers can no longer connect. With it,
/// the flood is refused at once — one log line each — while the budget left for other addresses
/// stays open. A worker's handshake takes milliseconds, so the limits are far above what a real
/// fleet reconnecting at once needs.
///
/// Pure bookkeeping; the server keeps one behind a lock. Every `admit` that returns `.admitted`
/// must be matched by one `release` with the same host.
struct HandshakeAdmission: Sendable {
    /// The limits in force.
    struct Limits: Hashable, Sendable {
        /// Connections in their handshake, over all addresses.
        var total: Int
        /// Connections in their handshake from one address.
        var perHost: Int

        /// 256 overall, 32 from one address.
        static let `default` = Limits(total: 256, perHost: 32)
    }

    /// Whether a new connection may start its handshake.
    enum Decision: Hashable, Sendable {
        /// Serve it; call `release` when its handshake ends (accepted, refused or closed).
        case admitted
        /// Close it at once: `pending` connections from `host` are already in their handshake.
        case tooManyFromHost(pending: Int, limit: Int)
        /// Close it at once: `pending` connections in all are already in their handshake.
        case tooManyInTotal(pending: Int, limit: Int)
    }

    let limits: Limits
    private(set) var pendingByHost: [String: Int] = [:]
    private(set) var pendingTotal = 0

    init(limits: Limits = .default) {
        self.limits = Limits(total: max(1, limits.total), perHost: max(1, limits.perHost))
    }

    /// A connection from `host` was accepted.
    mutating func admit(host: String) -> Decision {
        let fromHost = pendingByHost[host, default: 0]
        if fromHost >= limits.perHost { return .tooManyFromHost(pending: fromHost, limit: limits.perHost) }
        if pendingTotal >= limits.total { return .tooManyInTotal(pending: pendingTotal, limit: limits.total) }
        pendingByHost[host] = fromHost + 1
        pendingTotal += 1
        return .admitted
    }

    /// The handshake of an admitted connection from `host` ended.
    mutating func release(host: String) {
        guard let fromHost = pendingByHost[host], fromHost > 0 else { return }
        pendingByHost[host] = fromHost == 1 ? nil : fromHost - 1
        pendingTotal -= 1
    }
}
