/// Worker → coordinator, the answer to `challenge`: the HMAC that proves the worker holds the token.
///
/// `mac` is lowercase hex of HMAC-SHA256 keyed with the token; see `HandshakeAuthenticator` for
/// exactly which bytes it covers. The token itself never crosses the wire.
public struct AuthMessage: Hashable, Sendable, Codable {
    /// 64 hex digits.
    public var mac: String

    public init(mac: String) {
        self.mac = mac
    }
}

extension AuthMessage: CustomStringConvertible {
    // A MAC is not a secret, but there is no reason to copy one into logs either.
    public var description: String { "AuthMessage(mac: <\(mac.count) chars>)" }
}
