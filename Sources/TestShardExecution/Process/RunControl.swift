import Subprocess
import Synchronization

/// The error swift-subprocess gave, as text.
struct SpawnFailure: Error, CustomStringConvertible {
    var description: String
}

/// Why a run is being torn down.
enum StopReason: Sendable, Equatable {
    case timeout
    case cancelled
}

/// The state shared by the tasks of one run: what runs once it started (`Target`: swift-subprocess's
/// execution for a cold start, the child's process id for a warm one), the first stop reason, and
/// whether the process has been reaped (after which no signal may be sent).
final class RunControl<Target: Sendable>: Sendable {
    private struct State {
        var target: Target? = nil
        var reason: StopReason? = nil
        var isFinished = false
    }

    private let state: Mutex<State>

    init(started target: Target? = nil) {
        state = Mutex(State(target: target))
    }

    var reason: StopReason? { state.withLock { $0.reason } }
    var target: Target? { state.withLock { $0.target } }
    var isFinished: Bool { state.withLock { $0.isFinished } }

    /// Records the started process; returns whether a stop was already requested.
    func started(_ target: Target) -> Bool {
        state.withLock { state in
            state.target = target
            return state.reason != nil
        }
    }

    /// Records the first stop reason; returns what to tear down, if it is running.
    func stopRequested(_ reason: StopReason) -> Target? {
        state.withLock { state in
            guard !state.isFinished, state.reason == nil else { return nil }
            state.reason = reason
            return state.target
        }
    }

    /// Runs `body` on the running process, holding the state, unless it was reaped; returns whether
    /// it ran. (A reaped process's id may be reused: signal it only through this.)
    func whileRunning(_ body: (Target) -> Void) -> Bool {
        state.withLock { state in
            guard !state.isFinished, let target = state.target else { return false }
            body(target)
            return true
        }
    }

    func finished() {
        state.withLock { $0.isFinished = true }
    }
}
