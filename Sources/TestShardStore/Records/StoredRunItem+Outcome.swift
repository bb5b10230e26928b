extension StoredRunItem {
    /// The final state the run gave an item, with the reason when it has no result.
    public struct Outcome: Sendable, Hashable, Codable {
        public var state: State
        /// Why an item without results has none (`deadline`, `lost_worker`, `refused: no profile`, ...);
        /// free text chosen by the coordinator.
        public var reason: String?
        /// One more line for the report (the hanging item's last output line, the refusal text).
        public var detail: String?
        /// The shard attempt that decided the state, when one did.
        public var shardID: Int?
        public var shardAttempt: Int?

        public init(
            _ state: State,
            reason: String? = nil,
            detail: String? = nil,
            shardID: Int? = nil,
            shardAttempt: Int? = nil
        ) {
            self.state = state
            self.reason = reason
            self.detail = detail
            self.shardID = shardID
            self.shardAttempt = shardAttempt
        }
    }
}
