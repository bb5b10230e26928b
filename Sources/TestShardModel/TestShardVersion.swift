/// The version of the TestShard binaries, sent in the handshake and written into reports.
public enum TestShardVersion {
    public static let current = "0.1.0"
}
