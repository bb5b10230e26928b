/// Runs a preparation (the `swift` runner's build) once per worker process and key: the first
/// shard that needs it runs it, shards that arrive meanwhile wait for the same run, and shards
/// after a success skip it. A failure is not remembered, so the next shard tries again (a build
/// that failed for a passing reason, a cancelled one).
public actor PreparationGate {
    /// How one run of the preparation ended.
    public struct Outcome: Sendable, Hashable {
        public var succeeded: Bool
        /// Seconds it took, from its start (a shard that joined a running one waited less).
        public var wallSeconds: Double
        /// The exit when it did not succeed, with a reason.
        public var exit: ProcessOutcome?
        /// Why it could not start, when it could not.
        public var startError: String?

        public init(succeeded: Bool, wallSeconds: Double, exit: ProcessOutcome? = nil, startError: String? = nil) {
            self.succeeded = succeeded
            self.wallSeconds = wallSeconds
            self.exit = exit
            self.startError = startError
        }
    }

    /// The gate of this process: local workers are separate processes, each with its own.
    public static let shared = PreparationGate()

    private var succeeded: Set<String> = []
    private var running: [String: Task<Outcome, Never>] = [:]

    public init() {}

    /// Runs `work` unless it already succeeded for `key`; returns its outcome, or `nil` when there
    /// was nothing to do.
    public func run(key: String, _ work: @escaping @Sendable () async -> Outcome) async -> Outcome? {
        if succeeded.contains(key) { return nil }
        if let task = running[key] { return await task.value }
        let task = Task { await work() }
        running[key] = task
        let outcome = await task.value
        running[key] = nil
        if outcome.succeeded { succeeded.insert(key) }
        return outcome
    }
}
