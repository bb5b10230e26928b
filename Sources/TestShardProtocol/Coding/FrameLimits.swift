/// How large a frame may be.
///
/// Before a peer has authenticated it has no business sending large frames: the first
/// `handshakeFrameCount` frames on a connection (`hello` + `auth` at the coordinator, `challenge` +
/// `welcome` at the worker) are held to `handshakeMaximumFrameLength`, so an unauthenticated peer can
/// make the coordinator buffer at most that much.
public struct FrameLimits: Hashable, Sendable {
    /// 16 MiB: room for a `shard_result` with thousands of tests and long tracebacks.
    public static let defaultMaximumFrameLength = 16 << 20
    /// 64 KiB: a handshake message is a few hundred bytes.
    public static let defaultHandshakeMaximumFrameLength = 64 << 10
    /// The largest length the 4-byte length field can express.
    public static let largestExpressibleFrameLength = Int(UInt32.max)

    /// The largest frame body accepted after the handshake.
    public var maximumFrameLength: Int
    /// The largest frame body accepted for the first `handshakeFrameCount` frames.
    public var handshakeMaximumFrameLength: Int
    /// How many frames at the start of a connection are handshake frames.
    public var handshakeFrameCount: Int

    /// Limits as given, clamped to what the length field can express (a limit comes from user
    /// configuration, so it is clamped rather than trapped on).
    public init(
        maximumFrameLength: Int = FrameLimits.defaultMaximumFrameLength,
        handshakeMaximumFrameLength: Int = FrameLimits.defaultHandshakeMaximumFrameLength,
        handshakeFrameCount: Int = 2
    ) {
        let maximum = min(max(1, maximumFrameLength), Self.largestExpressibleFrameLength)
        self.maximumFrameLength = maximum
        self.handshakeMaximumFrameLength = min(max(1, handshakeMaximumFrameLength), maximum)
        self.handshakeFrameCount = max(0, handshakeFrameCount)
    }

    /// 16 MiB frames, 64 KiB during the two-frame handshake.
    public static let `default` = FrameLimits()

    /// The limit for the frame that follows `framesSoFar` complete frames.
    func limit(afterFrames framesSoFar: Int) -> Int {
        framesSoFar < handshakeFrameCount ? handshakeMaximumFrameLength : maximumFrameLength
    }
}
