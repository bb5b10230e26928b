import Foundation
import NIOSSL
import TestShardConfig

/// TLS for the coordinator's listener: mutual TLS, so a peer without a client certificate signed by
/// the given CA cannot even start the handshake, let alone reach the token check.
public enum TLSSetup {
    /// The files, from `--tls-ca`/`--tls-cert`/`--tls-key` or from `[tls]` in the config.
    public struct Files: Sendable, Hashable {
        /// The CA, this side's certificate and its key.
        public var paths: TLSFilesConfiguration
        /// Where they were given, for messages: `nil` for the command line, else the config file.
        public var configFile: String?

        public init(paths: TLSFilesConfiguration, configFile: String? = nil) {
            self.paths = paths
            self.configFile = configFile
        }

        /// Files given on the command line (relative paths are taken from the current folder).
        public init(ca: String, certificate: String, key: String) {
            func absolute(_ path: String) -> String {
                URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                    .standardizedFileURL.path
            }
            self.init(
                paths: TLSFilesConfiguration(
                    caFile: absolute(ca),
                    certFile: absolute(certificate),
                    keyFile: absolute(key)
                )
            )
        }

        /// How to name one of the files in a message: `--tls-ca` or `[tls] ca_file in FILE`.
        func origin(_ flag: String, _ key: String) -> String {
            configFile.map { "[tls] \(key) in \($0)" } ?? flag
        }
    }

    /// The listener's TLS context.
    ///
    /// The worker's certificate is verified against the CA only, not against the worker's address:
    /// a worker dials out from whatever address its network gives it (NAT, DHCP, a pod IP), so a
    /// SAN for it would be neither stable nor meaningful. The CA is the trust decision; the token
    /// still has to be proved on top. A certificate whose extended key usage excludes client
    /// authentication is refused by the TLS library.
    public static func serverContext(_ files: Files) throws(TLSFileError) -> NIOSSLContext {
        let paths = files.paths
        try TLSFilesConfiguration.checkFile(
            paths.caFile,
            origin: files.origin("--tls-ca", "ca_file"),
            isPrivateKey: false
        )
        try TLSFilesConfiguration.checkFile(
            paths.certFile,
            origin: files.origin("--tls-cert", "cert_file"),
            isPrivateKey: false
        )
        try TLSFilesConfiguration.checkFile(
            paths.keyFile,
            origin: files.origin("--tls-key", "key_file"),
            isPrivateKey: true
        )
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(paths.certFile)
        } catch {
            throw TLSFileError(
                "\(files.origin("--tls-cert", "cert_file")) \(paths.certFile): not a PEM certificate (\(error))"
            )
        }
        if chain.isEmpty {
            throw TLSFileError("\(files.origin("--tls-cert", "cert_file")) \(paths.certFile): holds no certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: paths.keyFile, format: .pem)
        } catch {
            throw TLSFileError(
                "\(files.origin("--tls-key", "key_file")) \(paths.keyFile): not a PEM private key (\(error))"
            )
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.trustRoots = .file(paths.caFile)
        // Chain to the CA, validity and key usage: yes. The peer's address against a SAN: no (see
        // above); `.fullVerification` would check the worker's certificate for the address it
        // connects from and refuse every worker.
        configuration.certificateVerification = .noHostnameVerification
        configuration.minimumTLSVersion = .tlsv12
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSFileError(
                "cannot set up TLS with CA \(paths.caFile), certificate \(paths.certFile) and key \(paths.keyFile): "
                    + "\(error) (is the CA a PEM file, and is the key the certificate's?)"
            )
        }
    }
}
