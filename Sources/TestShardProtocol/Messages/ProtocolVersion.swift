/// The protocol version this build speaks. It travels in the first message each way (`hello` and
/// `challenge`); a peer with another version is refused with `wrong_version`.
public enum ProtocolVersion {
    /// The version of the messages defined in this module.
    public static let current = 1
}
