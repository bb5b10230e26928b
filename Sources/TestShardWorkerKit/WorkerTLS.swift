import Foundation
import NIOCore
import NIOSSL
import TestShardConfig
import TestShardModel
import TestShardProtocol

/// TLS for the worker's connection: the coordinator's certificate is verified against the given CA
/// and against the address the worker dials, and the worker presents its own client certificate
/// (the coordinator requires one).
public enum WorkerTLS {
    /// The files, from `--tls-ca`/`--tls-cert`/`--tls-key` or from `[tls]` in the worker's config.
    public struct Files: Sendable, Hashable {
        /// The CA the coordinator's certificate must chain to.
        public var ca: String
        /// This worker's client certificate and key; without them the coordinator refuses the
        /// handshake (it always asks for one).
        public var certificate: String?
        public var key: String?
        /// Where they were given, for messages: `nil` for the command line, else the config file.
        public var configFile: String?

        public init(ca: String, certificate: String?, key: String?, configFile: String? = nil) {
            self.ca = ca
            self.certificate = certificate
            self.key = key
            self.configFile = configFile
        }

        func origin(_ flag: String, _ key: String) -> String {
            configFile.map { "[tls] \(key) in \($0)" } ?? flag
        }
    }

    /// The client context for `files`. Verification is full: chain to the CA, and the certificate
    /// must name the coordinator (see `serverHostname(for:)`).
    public static func clientContext(_ files: Files) throws(TLSFileError) -> NIOSSLContext {
        try TLSFilesConfiguration.checkFile(files.ca, origin: files.origin("--tls-ca", "ca_file"), isPrivateKey: false)
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(files.ca)
        configuration.certificateVerification = .fullVerification
        configuration.minimumTLSVersion = .tlsv12
        if let certificate = files.certificate, let key = files.key {
            let certificateOrigin = files.origin("--tls-cert", "cert_file")
            let keyOrigin = files.origin("--tls-key", "key_file")
            try TLSFilesConfiguration.checkFile(certificate, origin: certificateOrigin, isPrivateKey: false)
            try TLSFilesConfiguration.checkFile(key, origin: keyOrigin, isPrivateKey: true)
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            } catch {
                throw TLSFileError("\(certificateOrigin) \(certificate): not a PEM certificate (\(error))")
            }
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            } catch {
                throw TLSFileError("\(keyOrigin) \(key): not a PEM private key (\(error))")
            }
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSFileError(
                "cannot set up TLS with CA \(files.ca)"
                    + (files.certificate.map { ", certificate \($0) and key \(files.key ?? "-")" } ?? "")
                    + ": \(error) (is the CA a PEM file, and is the key the certificate's?)"
            )
        }
    }

    /// The name the worker sends as SNI and checks the coordinator's certificate for: the host as
    /// given, or `nil` when it is an IP address. TLS forbids an IP address in SNI, and with `nil`
    /// swift-nio-ssl checks the certificate's IP SANs against the address actually connected to —
    /// so `--coordinator 10.0.0.5:7070` needs a certificate with `IP:10.0.0.5`, and
    /// `--coordinator coord.lan:7070` one with `DNS:coord.lan` (or an IP SAN of the address the name
    /// resolved to).
    public static func serverHostname(for host: String) -> String? {
        isIPAddress(host) ? nil : host
    }

    /// Whether `host` is an IPv4 or IPv6 address literal (not a name that merely starts with a digit,
    /// like `3com.lan`).
    public static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 { return true }
        // A scoped IPv6 address (`fe80::1%eth0`) is still an address.
        return host.contains(":")
    }

    /// Whether `error` comes from the TLS layer (swift-nio-ssl or BoringSSL), or is a TLS answer to
    /// a plain connection.
    static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError || error is CoordinatorSpeaksTLS
    }

    /// The coordinator answered a plain connection with a TLS record.
    struct CoordinatorSpeaksTLS: Error, CustomStringConvertible {
        var description: String { "the coordinator answered with a TLS record" }
    }

    /// Whether `bytes` (the first the coordinator sent) begin a TLS record: an alert (21) or a
    /// handshake (22), then a 3.x record version. As a TestShard frame this would declare a body of
    /// over 352 MB, above any limit, so no real frame is mistaken for it.
    static func looksLikeTLSRecord(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        guard let type = iterator.next(), let major = iterator.next() else { return false }
        return (type == 0x15 || type == 0x16) && major == 0x03
    }

    /// A TLS failure on the worker's connection, worded for the person who has to fix it, and
    /// whether it is for good: a certificate that does not verify, a missing or refused client
    /// certificate, or a coordinator that does not speak TLS will not fix themselves on a retry.
    static func failure(_ error: any Error, coordinator: HostPort, files: Files?) -> (ProtocolError, fatal: Bool) {
        if error is CoordinatorSpeaksTLS {
            return (
                ProtocolError(
                    code: ProtocolError.Code(rawValue: "tls_required"),
                    message: "the coordinator at \(coordinator) uses TLS: pass --tls-ca, --tls-cert and --tls-key "
                        + "(or [tls] in the config) with certificates from its CA"
                ),
                true
            )
        }
        let description = "\(error)"
        let ca = files?.ca ?? "the CA"
        let detail = " (\(LogText.oneLine(description, limit: 300)))"
        let code = ProtocolError.Code(rawValue: "tls_failed")
        func fatal(_ message: String) -> (ProtocolError, fatal: Bool) {
            (ProtocolError(code: code, message: message + detail), true)
        }
        if description.contains("failedToValidateHostname") {
            return fatal(
                "the coordinator's certificate does not name \(coordinator.host): give it a SAN "
                    + (isIPAddress(coordinator.host) ? "IP:\(coordinator.host)" : "DNS:\(coordinator.host)")
                    + ", or dial the name or address it has"
            )
        }
        if description.contains("CERTIFICATE_VERIFY_FAILED") {
            return fatal(
                "the coordinator's certificate does not verify against \(ca) (signed by another CA, expired, "
                    + "or not yet valid); pass the CA that signed the coordinator's certificate"
            )
        }
        if description.contains("CERTIFICATE_REQUIRED") || description.contains("HANDSHAKE_FAILURE_ON_CLIENT_HELLO")
            || (files?.certificate == nil && description.contains("ALERT_HANDSHAKE_FAILURE"))
        {
            return fatal(
                "the coordinator requires a client certificate: pass --tls-cert and --tls-key (or cert_file and "
                    + "key_file in [tls]) with a certificate signed by the coordinator's CA"
            )
        }
        if description.contains("ALERT_UNKNOWN_CA") || description.contains("ALERT_BAD_CERTIFICATE")
            || description.contains("ALERT_CERTIFICATE_UNKNOWN")
            || description.contains("ALERT_UNSUPPORTED_CERTIFICATE")
            || description.contains("ALERT_CERTIFICATE_EXPIRED") || description.contains("ALERT_DECRYPT_ERROR")
        {
            return fatal(
                "the coordinator refused this worker's client certificate \(files?.certificate ?? ""): it is not "
                    + "signed by the coordinator's CA, or has expired; issue one from the CA the coordinator trusts"
            )
        }
        if description.contains("WRONG_VERSION_NUMBER") || description.contains("PACKET_LENGTH_TOO_LONG")
            || description.contains("RECORD_TOO_LARGE") || description.contains("UNKNOWN_PROTOCOL")
        {
            return fatal(
                "the coordinator at \(coordinator) does not speak TLS: start it with --tls-ca, --tls-cert and "
                    + "--tls-key (or [tls]), or run this worker without TLS"
            )
        }
        return (ProtocolError(code: code, message: "the TLS connection failed" + detail), false)
    }
}
