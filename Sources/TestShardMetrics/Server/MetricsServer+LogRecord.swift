extension MetricsServer {
    /// One line the server wants logged. The module has no logging dependency: the caller maps this
    /// to its logger (`logger.log(level: …, "\(record.message)", metadata: …)`).
    public struct LogRecord: Hashable, Sendable {
        /// How much an operator cares.
        public enum Level: String, Hashable, Sendable {
            /// One client's trouble (garbage, a timeout): normal on an open port.
            case debug
            /// The server started or stopped.
            case info
            /// The server refused work it should normally do (connection limit reached).
            case warning
            /// The listener failed; scrapes stop.
            case error
        }

        public var level: Level
        public var message: String
        /// Context such as `peer`, `address`, `error`.
        public var metadata: [String: String]

        public init(level: Level, message: String, metadata: [String: String] = [:]) {
            self.level = level
            self.message = message
            self.metadata = metadata
        }
    }
}
