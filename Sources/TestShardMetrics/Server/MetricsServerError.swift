/// The metrics server could not start.
public struct MetricsServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it was.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        /// The host is empty or the port is outside 0…65535.
        public static let invalidAddress = Code(rawValue: "invalid_address")
        /// A limit or timeout in `MetricsServer.Configuration` is zero or negative.
        public static let invalidConfiguration = Code(rawValue: "invalid_configuration")
        /// The address could not be bound (in use, not an address of this host, no permission).
        public static let bindFailed = Code(rawValue: "bind_failed")
        public var description: String { rawValue }
    }

    public var code: Code
    /// What was wrong, with the offending value, and what to do.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
