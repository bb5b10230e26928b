extension StoredWorker {
    /// Where a worker of a run stands. Stored in `run_worker.state`.
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Authenticated and taking work.
        case connected
        /// Asked to stop (SIGTERM, drain): finishing or handing back its shards.
        case draining
        /// Said goodbye and left cleanly.
        case left
        /// Went away without a goodbye (connection lost, lease expired).
        case lost
        /// Turned away (bad revision under `--require-same-revision`).
        case refused
    }
}
