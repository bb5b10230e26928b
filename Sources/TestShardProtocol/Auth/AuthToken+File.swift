import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension AuthToken {
    /// Reads the shared token from `path`. A token file that other users can read is refused:
    /// anyone who can read it can join the run and be handed work. The error never contains the
    /// token.
    public init(contentsOfFile path: String) throws(ProtocolError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw ProtocolError(
                code: .invalidToken,
                message: "cannot read the token file \(path): \(reason); create it with "
                    + "`openssl rand -hex 32 > \(path) && chmod 600 \(path)`"
            )
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ProtocolError(code: .invalidToken, message: "the token file \(path) is not a regular file")
        }
        if info.st_mode & S_IROTH != 0 {
            throw ProtocolError(
                code: .invalidToken,
                message: "the token file \(path) is readable by every user (mode "
                    + String(info.st_mode & 0o777, radix: 8) + "); run `chmod 600 \(path)`"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProtocolError(code: .invalidToken, message: "cannot read the token file \(path)")
        }
        do {
            try self.init(fileContents: String(decoding: data, as: UTF8.self))
        } catch {
            throw ProtocolError(code: error.code, message: "the token file \(path): \(error.message)")
        }
    }

    /// Writes a fresh random token to `path` with mode 0600 (for `--local-workers` runs without a
    /// token file) and returns it.
    public static func createFile(atPath path: String) throws -> AuthToken {
        var generator = SystemRandomNumberGenerator()
        let text = generateText(using: &generator)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else {
            throw ProtocolError(
                code: .invalidToken,
                message: "cannot create the token file \(path): \(String(cString: strerror(errno)))"
            )
        }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array((text + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw ProtocolError(code: .invalidToken, message: "cannot write the token file \(path)")
        }
        return try AuthToken(fileContents: text)
    }
}
