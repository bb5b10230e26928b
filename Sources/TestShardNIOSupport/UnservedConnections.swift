import NIOCore
import Synchronization

/// Every connection NIO has set up and the accept loop has not yet taken, held so that each one is
/// closed properly however the server ends.
///
/// Why: a `NIOAsyncChannel` must be closed through `executeThenClose`; if it is dropped without
/// that, NIO traps ("Deinited NIOAsyncWriter without calling finish()"). A server `NIOAsyncChannel`
/// drops exactly such connections when its listener closes while a peer's connection is still being
/// set up — a connection that arrives as the run ends would crash the coordinator or the metrics
/// server (apple/swift-nio#3481: there is no bootstrap without that window yet). So the child-channel
/// initializer registers every connection here, the accept loop takes the ones it serves, and when
/// the listener has closed the rest are closed here; one that is set up even later is closed by its
/// own task.
public final class UnservedConnections<Inbound: Sendable, Outbound: Sendable>: Sendable {
    public typealias Connection = NIOAsyncChannel<Inbound, Outbound>

    private struct State {
        var unserved: [ObjectIdentifier: Connection] = [:]
        var closed = false
    }

    private let state = Mutex(State())

    /// An empty registry.
    public init() {}

    /// A connection was set up (in the child-channel initializer, on its event loop).
    public func register(_ connection: Connection) {
        let key = ObjectIdentifier(connection.channel)
        let closeNow = state.withLock { state -> Bool in
            if state.closed { return true }
            state.unserved[key] = connection
            return false
        }
        if closeNow { Task { try? await connection.executeThenClose { _, _ in } } }
    }

    /// The accept loop took `connection` and will serve (and close) it.
    public func take(_ connection: Connection) {
        let key = ObjectIdentifier(connection.channel)
        _ = state.withLock { $0.unserved.removeValue(forKey: key) }
    }

    /// The listener has closed and the accept loop has ended: closes every connection it never took,
    /// and from now on every connection as soon as it is registered. Returns how many it closed.
    @discardableResult
    public func closeAll() async -> Int {
        let left = state.withLock { state -> [Connection] in
            state.closed = true
            defer { state.unserved = [:] }
            return Array(state.unserved.values)
        }
        for connection in left { try? await connection.executeThenClose { _, _ in } }
        return left.count
    }
}
