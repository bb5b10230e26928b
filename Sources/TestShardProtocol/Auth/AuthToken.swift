import Crypto

/// The shared secret workers prove they hold. It keys the HMAC and never crosses the wire, and it
/// cannot be printed: `description` and `debugDescription` say only that it is redacted.
public struct AuthToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Fewer bytes than this are refused: 16 random bytes (32 hex digits) is the least worth having.
    public static let minimumByteCount = 16

    // Kept as bytes: swift-crypto's `SymmetricKey` is not `Sendable` on every platform.
    private let keyBytes: [UInt8]
    /// The HMAC key.
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    /// How many bytes the token has (not secret).
    public let byteCount: Int

    /// A token from its bytes (the token file's content, as read).
    public init(bytes: some Collection<UInt8>) throws(ProtocolError) {
        guard bytes.count >= Self.minimumByteCount else {
            throw ProtocolError(
                code: .invalidToken,
                message: "the token has \(bytes.count) bytes, fewer than \(Self.minimumByteCount): "
                    + "generate one with `openssl rand -hex 32 > token` and give the same file to every worker"
            )
        }
        self.keyBytes = Array(bytes)
        self.byteCount = bytes.count
    }

    /// A token from a token file's text. Leading and trailing whitespace (the newline an editor or
    /// `echo` adds) is not part of the token, so both sides agree however the file was written.
    public init(fileContents: String) throws(ProtocolError) {
        let trimmed = fileContents.utf8.drop { Self.isWhitespace($0) }.reversed().drop { Self.isWhitespace($0) }
        try self.init(bytes: Array(trimmed.reversed()))
    }

    /// A fresh random token as 64 hex digits, for `--local-workers` runs that have no token file.
    public static func generateText(using generator: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = []
        for _ in 0..<32 { bytes.append(UInt8.random(in: 0...255, using: &generator)) }
        return Hex.encode(bytes)
    }

    public var description: String { "AuthToken(<redacted>, \(byteCount) bytes)" }
    public var debugDescription: String { description }
    /// No children, so `dump` and debuggers show nothing of the key either.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
