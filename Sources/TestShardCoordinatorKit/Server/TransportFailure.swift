import NIOSSL
import TestShardProtocol

/// Failures below the protocol: the TLS layer (a handshake that failed, a certificate refused) and
/// a TLS client on a plain listener. Each becomes a `ProtocolError` so it gets the same one log line
/// as any other bad connection, worded for the person who has to fix it.
enum TransportFailure {
    /// A TLS handshake or record failed (`tls_failed`).
    static let tlsFailed = ProtocolError.Code(rawValue: "tls_failed")
    /// A peer started a TLS handshake on a listener that does not use TLS (`tls_not_enabled`).
    static let tlsNotEnabled = ProtocolError.Code(rawValue: "tls_not_enabled")

    /// Whether `error` comes from the TLS layer (swift-nio-ssl or BoringSSL).
    static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError
    }

    /// The coordinator's log line for a TLS failure on a worker connection, from the error's text
    /// (BoringSSL names its reasons, `PEER_DID_NOT_RETURN_A_CERTIFICATE`, in the description).
    static func serverSide(_ description: String) -> ProtocolError {
        let reason: String
        if description.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || description.contains("CERTIFICATE_REQUIRED") {
            reason =
                "the peer presented no client certificate; a worker needs --tls-cert and --tls-key "
                + "(or [tls] in its config) signed by this coordinator's CA"
        } else if description.contains("CERTIFICATE_VERIFY_FAILED") {
            reason =
                "the peer's client certificate does not verify against this coordinator's CA (another CA, "
                + "expired, or not yet valid); issue the worker a certificate from the CA given to --tls-ca"
        } else if description.contains("ALERT_UNKNOWN_CA") || description.contains("ALERT_BAD_CERTIFICATE")
            || description.contains("ALERT_CERTIFICATE")
        {
            reason =
                "the worker refused this coordinator's certificate; give the worker the CA that signed "
                + "--tls-cert, and a certificate whose SAN names the address the worker dials"
        } else if description.contains("WRONG_VERSION_NUMBER") || description.contains("HTTP_REQUEST")
            || description.contains("UNKNOWN_PROTOCOL") || description.contains("RECORD_TOO_LARGE")
            || description.contains("PACKET_LENGTH_TOO_LONG")
        {
            reason = "the peer does not speak TLS (a worker started without --tls-ca, or not a worker)"
        } else if description.contains("uncleanShutdown") {
            reason = "the peer closed the connection in the middle of the TLS handshake"
        } else {
            reason = "the TLS handshake failed"
        }
        return ProtocolError(code: tlsFailed, message: "\(reason) (\(LogText.oneLine(description, limit: 300)))")
    }

    /// The coordinator's error for a TLS ClientHello on a plain listener.
    static let tlsOnPlainListener = ProtocolError(
        code: tlsNotEnabled,
        message: "the peer started a TLS handshake, but this coordinator does not use TLS: start it with "
            + "--tls-ca, --tls-cert and --tls-key (or [tls] in its config), or run the worker without TLS"
    )

    /// Whether `bytes` (the first a peer sent) begin a TLS handshake record: content type 22, then
    /// a 3.x record version. A TestShard frame would declare a body of over 369 MB here, far above
    /// any limit, so no valid frame is mistaken for TLS.
    static func looksLikeTLSClientHello(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        guard let type = iterator.next(), let major = iterator.next() else { return false }
        return type == 0x16 && major == 0x03
    }
}
