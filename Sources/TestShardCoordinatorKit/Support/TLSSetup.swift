import NIOSSL

/// TLS contexts for the coordinator's listener: mutual TLS, so a worker without a client
/// certificate signed by the given CA cannot even start the handshake.
public enum TLSSetup {
    public static func serverContext(ca: String, certificate: String, key: String) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        )
        configuration.trustRoots = .file(ca)
        configuration.certificateVerification = .fullVerification
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }
}
