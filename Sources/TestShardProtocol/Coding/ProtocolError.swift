/// Everything that can go wrong on a TestShard connection: bad bytes, bad JSON, a message out of
/// order, a failed authentication, a timeout.
///
/// `description` is the one log line for the error (see `ProtocolError+LogLine.swift`); `message`
/// is also what the coordinator sends to the peer in an `error` frame before it closes. Neither ever
/// holds the token or a MAC.
public struct ProtocolError: Error, Hashable, Sendable {
    /// What kind of failure this is. A struct rather than an enum so codes can be added (and the
    /// coordinator's own refusals carried over the wire) without breaking callers.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The wire form, sent as `code` in an `error` message: `frame_too_large`.
        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        /// A frame declared a length above the limit (checked from the 4 length bytes, before the
        /// body is buffered).
        public static let frameTooLarge = Code(rawValue: "frame_too_large")
        /// A frame declared a length of zero.
        public static let emptyFrame = Code(rawValue: "empty_frame")
        /// The connection ended in the middle of a frame.
        public static let truncatedFrame = Code(rawValue: "truncated_frame")
        /// The frame body is not a JSON object (not UTF-8, a syntax error, an array, …).
        public static let invalidJSON = Code(rawValue: "invalid_json")
        /// The JSON object's `type` names no message this version knows.
        public static let unknownType = Code(rawValue: "unknown_type")
        /// A required key is absent.
        public static let missingField = Code(rawValue: "missing_field")
        /// A key holds a value of the wrong type or out of range (`attempt: 0`, `slots: "two"`).
        public static let invalidField = Code(rawValue: "invalid_field")
        /// The peer speaks another protocol version.
        public static let wrongVersion = Code(rawValue: "wrong_version")
        /// The worker's `auth` MAC does not match: the two sides hold different tokens.
        public static let badMAC = Code(rawValue: "bad_mac")
        /// A well-formed message that is not allowed here: out of order, a replayed `auth`, a
        /// message only the other side sends, anything but the handshake before authentication.
        public static let unexpectedMessage = Code(rawValue: "unexpected_message")
        /// The handshake did not complete in time (slow-loris protection).
        public static let handshakeTimeout = Code(rawValue: "handshake_timeout")
        /// An authenticated peer stayed silent for too long.
        public static let idleTimeout = Code(rawValue: "idle_timeout")
        /// The connection closed where a message was still expected.
        public static let connectionClosed = Code(rawValue: "connection_closed")
        /// A message could not be turned into JSON (a non-finite number) or is above the frame limit.
        public static let encodingFailed = Code(rawValue: "encoding_failed")
        /// The token is unusable (empty or too short).
        public static let invalidToken = Code(rawValue: "invalid_token")
        /// The coordinator refuses this worker by policy (e.g. `--require-same-revision`). Fatal for
        /// the worker: retrying cannot help.
        public static let workerRefused = Code(rawValue: "worker_refused")
        /// A worker reported on a shard attempt it does not hold (never assigned, or its lease
        /// moved on); for the coordinator's shell to use with `closeRequested`.
        public static let unknownShard = Code(rawValue: "unknown_shard")
        /// The coordinator is going away; the worker may reconnect later.
        public static let shuttingDown = Code(rawValue: "shutting_down")
    }

    /// What kind of failure this is.
    public var code: Code
    /// One sentence for a person: what was wrong, with the offending value, and what to do.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }
}

extension ProtocolError {
    /// The error a coordinator sent in an `error` frame, as the worker sees it. The code is kept as
    /// sent, so the worker can tell a fatal refusal from a transient one.
    public init(received message: ErrorMessage) {
        self.init(
            code: Code(rawValue: LogText.clip(message.code, limit: 64)),
            message: "the coordinator refused the connection: \(LogText.clip(message.message, limit: 500))"
        )
    }

    /// Whether a worker should give up rather than reconnect when the coordinator refuses it with
    /// this code: a wrong token, a wrong version or a policy refusal will not fix themselves.
    public var isFatalForWorker: Bool {
        [.badMAC, .wrongVersion, .workerRefused, .invalidToken].contains(code)
    }
}
