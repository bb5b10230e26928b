/// Coordinator → worker, the last frame before the coordinator closes a connection it refuses.
public struct ErrorMessage: Hashable, Sendable, Codable {
    /// A `ProtocolError.Code` raw value (`bad_mac`, `wrong_version`, …).
    public var code: String
    /// What was wrong and what to do, for the worker's log.
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// The frame that reports `error` to the peer.
    public init(_ error: ProtocolError) {
        self.init(code: error.code.rawValue, message: error.message)
    }
}
