import Foundation

/// The coordinator's challenge: 32 random bytes, new for each connection, used for one `auth`.
public struct AuthNonce: Hashable, Sendable {
    /// Nonces are exactly this long.
    public static let byteCount = 32

    /// The raw bytes the MAC covers.
    public let bytes: [UInt8]

    /// A fresh nonce drawn from `generator`. The coordinator passes a
    /// `SystemRandomNumberGenerator` (the operating system's CSPRNG); tests pass a seeded one.
    public init(using generator: inout some RandomNumberGenerator) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.byteCount)
        while bytes.count < Self.byteCount {
            withUnsafeBytes(of: generator.next().littleEndian) { bytes.append(contentsOf: $0) }
        }
        self.bytes = Array(bytes.prefix(Self.byteCount))
    }

    /// A nonce from its bytes; `nil` unless there are exactly 32.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// A nonce from the `challenge` message's base64 text; `nil` unless it is valid base64 of
    /// exactly 32 bytes.
    public init?(base64: String) {
        guard base64.utf8.count <= 64, let data = Data(base64Encoded: base64) else { return nil }
        self.init(bytes: [UInt8](data))
    }

    /// The form sent in `challenge`.
    public var base64: String { Data(bytes).base64EncodedString() }
}
