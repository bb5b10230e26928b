extension MetricsServer {
    /// Limits that keep a bad or slow client from holding the server. The defaults suit Prometheus
    /// scraping every 15–60 s over a kept-alive connection.
    public struct Configuration: Hashable, Sendable {
        /// Seconds a connection may wait for its next request (or its first) before it is closed.
        /// Longer than a 60 s scrape interval, so consecutive scrapes reuse one connection.
        public var idleTimeoutSeconds: Double
        /// Seconds from a request's head to the end of its response; a client dribbling a body,
        /// or a snapshot that never comes, is cut off after it.
        public var requestTimeoutSeconds: Double
        /// Largest request head: the bytes of all header names and values, and of any one field.
        public var maxHeaderBytes: Int
        /// Most header fields in one request.
        public var maxHeaderCount: Int
        /// Largest request body accepted (and discarded: no route takes one); over it, 413 and close.
        public var maxBodyBytes: Int
        /// Most connections served at once. Up to as many more get 503 to their first request and
        /// are closed; beyond that a new connection is closed without a word.
        public var maxConnections: Int

        public init(
            idleTimeoutSeconds: Double = 75,
            requestTimeoutSeconds: Double = 10,
            maxHeaderBytes: Int = 16 * 1024,
            maxHeaderCount: Int = 100,
            maxBodyBytes: Int = 64 * 1024,
            maxConnections: Int = 64
        ) {
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.requestTimeoutSeconds = requestTimeoutSeconds
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
            self.maxConnections = maxConnections
        }

        /// Throws for a timeout that is not a positive finite number of seconds or a limit below 1.
        public func validate() throws(MetricsServerError) {
            let timeouts = [
                ("idleTimeoutSeconds", idleTimeoutSeconds), ("requestTimeoutSeconds", requestTimeoutSeconds),
            ]
            for (name, value) in timeouts where !(value.isFinite && value > 0 && value <= 86_400) {
                throw MetricsServerError(
                    code: .invalidConfiguration,
                    message: "metrics server \(name) is \(value); use a number of seconds above 0 and at most 86400"
                )
            }
            let limits = [
                ("maxHeaderBytes", maxHeaderBytes), ("maxHeaderCount", maxHeaderCount),
                ("maxBodyBytes", maxBodyBytes), ("maxConnections", maxConnections),
            ]
            for (name, value) in limits where value < 1 {
                throw MetricsServerError(
                    code: .invalidConfiguration,
                    message: "metrics server \(name) is \(value); use 1 or more"
                )
            }
        }
    }
}
