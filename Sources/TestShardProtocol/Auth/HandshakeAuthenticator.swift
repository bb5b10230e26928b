import Crypto

/// The challenge–response that lets a worker prove it holds the token without sending it.
///
/// The MAC is HMAC-SHA256 keyed with the token's bytes, over the nonce, the worker's name and the
/// run id. Name and run id are each preceded by their UTF-8 length, so no two different
/// (name, run id) pairs give the same bytes (`"ab" + "c"` vs `"a" + "bc"`):
///
///     +-------------------+-------------+-------------+-------------+-------------+
///     | nonce (32 bytes)  | len(name)   | name        | len(run id) | run id      |
///     |                   | UInt32, BE  | UTF-8       | UInt32, BE  | UTF-8       |
///     +-------------------+-------------+-------------+-------------+-------------+
///
/// Binding the name stops one worker's answer from registering another name; binding the run id
/// and the per-connection nonce stops replay on another connection or another run.
public enum HandshakeAuthenticator {
    /// The MAC a worker named `workerName` sends for `nonce` in run `runID`: 64 lowercase hex digits.
    public static func mac(token: AuthToken, nonce: AuthNonce, workerName: String, runID: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: authenticatedBytes(nonce: nonce, workerName: workerName, runID: runID),
            using: token.key
        )
        return Hex.encode(code)
    }

    /// Whether `mac` is the right answer. The comparison takes the same time wherever the first
    /// wrong byte is (swift-crypto's constant-time check); text that is not 64 hex digits is wrong.
    public static func verify(
        mac: String,
        token: AuthToken,
        nonce: AuthNonce,
        workerName: String,
        runID: String
    ) -> Bool {
        guard mac.utf8.count == 2 * SHA256.byteCount, let bytes = Hex.decode(mac) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            bytes,
            authenticating: authenticatedBytes(nonce: nonce, workerName: workerName, runID: runID),
            using: token.key
        )
    }

    /// The exact bytes the MAC covers (see the diagram above).
    static func authenticatedBytes(nonce: AuthNonce, workerName: String, runID: String) -> [UInt8] {
        var bytes = nonce.bytes
        for field in [workerName, runID] {
            let utf8 = Array(field.utf8)
            let length = UInt32(truncatingIfNeeded: utf8.count)
            bytes.append(contentsOf: [
                UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF),
            ])
            bytes.append(contentsOf: utf8)
        }
        return bytes
    }
}
