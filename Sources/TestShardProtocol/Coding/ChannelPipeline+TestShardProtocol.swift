import NIOCore

extension ChannelPipeline.SynchronousOperations {
    /// Adds the protocol's decoder and encoder, so the channel reads and writes `ProtocolMessage`.
    /// Call from the channel initializer, then wrap the channel:
    ///
    /// ```swift
    /// try channel.pipeline.syncOperations.addTestShardProtocolHandlers(limits: limits)
    /// let connection = try NIOAsyncChannel<ProtocolMessage, ProtocolMessage>(
    ///     wrappingChannelSynchronously: channel)
    /// ```
    ///
    /// A decode failure ends the inbound sequence with a thrown `ProtocolError`; hand it to the
    /// state machine's `decodeFailed` and act on the answer.
    public func addTestShardProtocolHandlers(limits: FrameLimits = .default) throws {
        try addHandler(ByteToMessageHandler(ProtocolMessageDecoder(limits: limits)))
        try addHandler(MessageToByteHandler(ProtocolMessageEncoder(maximumFrameLength: limits.maximumFrameLength)))
    }
}
