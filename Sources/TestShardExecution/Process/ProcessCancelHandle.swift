import Synchronization

/// Lets another task stop a running command (the coordinator withdrew the shard, the worker is
/// shutting down). Cancelling runs the same teardown as a timeout. One handle may serve several
/// runs; cancelling before a run starts makes that run stop as soon as it has started.
public final class ProcessCancelHandle: Sendable {
    private struct State {
        var cancelled = false
        var nextToken = 0
        var actions: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Stops every run using this handle, now and later.
    public func cancel() {
        let actions = state.withLock { state -> [@Sendable () -> Void] in
            if state.cancelled { return [] }
            state.cancelled = true
            defer { state.actions = [:] }
            return Array(state.actions.values)
        }
        for action in actions { action() }
    }

    /// Registers `action` to run on `cancel()` (at once if already cancelled); returns a token
    /// for `unregister`.
    func register(_ action: @escaping @Sendable () -> Void) -> Int? {
        let token = state.withLock { state -> Int? in
            if state.cancelled { return nil }
            state.nextToken += 1
            state.actions[state.nextToken] = action
            return state.nextToken
        }
        if token == nil { action() }
        return token
    }

    func unregister(_ token: Int?) {
        guard let token else { return }
        _ = state.withLock { $0.actions.removeValue(forKey: token) }
    }
}
