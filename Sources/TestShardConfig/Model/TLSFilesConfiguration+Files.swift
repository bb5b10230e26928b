import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TLS file that cannot be used: missing, not a regular file, unreadable, not PEM, or a private
/// key that other users can read. The message names the file and where it was given.
public struct TLSFileError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }

    public init(_ message: String) {
        self.message = message
    }
}

extension TLSFilesConfiguration {
    /// Checks that `path` — given as `origin`, e.g. `--tls-key` or `[tls] key_file in testshard.toml` —
    /// is a readable regular file. A private key that other users can read is refused like a token
    /// file: anyone who can read it can pose as this host.
    public static func checkFile(_ path: String, origin: String, isPrivateKey: Bool) throws(TLSFileError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw TLSFileError("\(origin) \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw TLSFileError("\(origin) \(path): not a regular file; name a PEM file")
        }
        if isPrivateKey && info.st_mode & S_IROTH != 0 {
            throw TLSFileError(
                "\(origin) \(path): the private key is readable by every user (mode "
                    + String(info.st_mode & 0o777, radix: 8) + "); run `chmod 600 \(path)`"
            )
        }
        guard access(path, R_OK) == 0 else {
            throw TLSFileError("\(origin) \(path): not readable by this user: \(String(cString: strerror(errno)))")
        }
    }
}
