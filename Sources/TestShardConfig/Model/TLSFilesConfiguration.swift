/// `[tls]`: the files for mutual TLS between coordinator and workers. Paths are absolute (relative ones
/// in the config are resolved against the suite root); whether they exist is checked when TLS starts.
public struct TLSFilesConfiguration: Sendable, Hashable {
    /// PEM bundle of the certificate authority both sides trust (`ca_file`).
    public var caFile: String
    /// This side's PEM certificate (`cert_file`).
    public var certFile: String
    /// This side's PEM private key (`key_file`).
    public var keyFile: String

    public init(caFile: String, certFile: String, keyFile: String) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }
}
