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

/// The state shared by the tasks of one run: the execution once spawned, the first stop reason,
/// and whether the process has been reaped (after which no signal may be sent).
final class RunControl: Sendable {
    private struct State {
        var execution: Execution<NoInput, FileDescriptorOutput, CombinedErrorOutput>? = nil
        var reason: StopReason? = nil
        var isFinished = false
        var processID: Int32? = nil
    }

    private let state = Mutex(State())

    var reason: StopReason? { state.withLock { $0.reason } }
    var processID: Int32? { state.withLock { $0.processID } }

    /// Records the spawned process; returns whether a stop was already requested.
    func started(_ execution: Execution<NoInput, FileDescriptorOutput, CombinedErrorOutput>) -> Bool {
        state.withLock { state in
            state.execution = execution
            state.processID = execution.processIdentifier.value
            return state.reason != nil
        }
    }

    /// Records the first stop reason; returns the execution to tear down, if it is running.
    func stopRequested(_ reason: StopReason) -> Execution<NoInput, FileDescriptorOutput, CombinedErrorOutput>? {
        state.withLock { state in
            guard !state.isFinished, state.reason == nil else { return nil }
            state.reason = reason
            return state.execution
        }
    }

    func finished() {
        state.withLock { $0.isFinished = true }
    }
}
