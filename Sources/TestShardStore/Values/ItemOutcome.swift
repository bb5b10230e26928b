/// The final state the run gave an item, with the reason when it did not run.
public struct ItemOutcome: Sendable, Hashable, Codable {
    public var state: ItemFinalState
    /// Why a ``ItemFinalState/notRun`` item has no result (`timeout`, `lost worker`, ...).
    public var notRunReason: String?

    public init(_ state: ItemFinalState, notRunReason: String? = nil) {
        self.state = state
        self.notRunReason = notRunReason
    }
}
