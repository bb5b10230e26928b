/// Worker → coordinator, the worker's last message: it is shutting down (SIGTERM, or done after a
/// `drain`). Attempts listed in `handed_back` did not finish and go back to the queue at once,
/// without waiting for their leases to expire.
public struct GoodbyeMessage: Hashable, Sendable {
    /// Why the worker leaves (`SIGTERM`, `drained: run complete`).
    public var reason: String
    /// The attempts the worker stopped without a result.
    public var handedBack: [ShardAttemptRef]

    public init(reason: String, handedBack: [ShardAttemptRef]) {
        self.reason = reason
        self.handedBack = handedBack
    }
}

extension GoodbyeMessage: Codable {
    enum CodingKeys: String, CodingKey {
        case reason
        case handedBack = "handed_back"
    }
}
