/// What the coordinator asks of a worker after the handshake: the coordinator → worker messages a
/// `WorkerConnectionStateMachine` forwards to the worker's shell.
public enum CoordinatorCommand: Hashable, Sendable {
    /// Run a shard attempt (after checking every item).
    case assign(AssignMessage)
    /// Kill a shard attempt's process group; report nothing more for it.
    case cancel(CancelMessage)
    /// No more work: finish or hand back, then say goodbye.
    case drain(DrainMessage)
}
