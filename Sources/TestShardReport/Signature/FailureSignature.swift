/// A normalized failure signature: the cluster key.
public struct FailureSignature: Codable, Sendable, Hashable {
    /// `r1:` + the first 32 hex digits of `sha256(exceptionType + "\0" + normalized)`.
    public var id: String
    /// The normalizer version (`reason-v1`); a new version means new ids.
    public var algorithm: String
    /// The exception type (`RuntimeError`), or the exit kind for a shard-level signal; may be empty.
    public var exceptionType: String
    /// The normalized text the id is computed from (at most 500 characters, plus the crash
    /// location when the message alone is generic).
    public var normalized: String

    public init(id: String, algorithm: String, exceptionType: String, normalized: String) {
        self.id = id
        self.algorithm = algorithm
        self.exceptionType = exceptionType
        self.normalized = normalized
    }
}
