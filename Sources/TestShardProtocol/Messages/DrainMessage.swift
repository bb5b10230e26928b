/// Coordinator → worker: there is no more work. The worker finishes (or hands back) what it runs,
/// says `goodbye` and disconnects.
public struct DrainMessage: Hashable, Sendable, Codable {
    /// Why (`run complete`, `coordinator shutting down`).
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
