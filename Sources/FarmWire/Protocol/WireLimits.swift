/// Size limits every parser enforces (docs/PROTOCOL.md, "Size limits"). A frame over a limit is a
/// typed `ProtocolError.frameTooLarge`, answered with an ERROR where a reply is possible.
public struct WireLimits: Sendable, Equatable {
    /// Header and command frames are short ASCII words.
    public var maxWordBytes: Int
    /// The JSON body frame.
    public var maxJSONBytes: Int
    /// Each binary frame (an MP4, a rollout slice's rows, an inline rollout, an upload chunk).
    /// Big enough for a clip's body_q rows of a large scene (16384 envs × 10 bodies × 200 steps is
    /// 0.9 GB); clients upload big rollouts in chunks rather than inline.
    public var maxBinaryFrameBytes: Int
    /// Frames after the JSON body.
    public var maxBinaryFrames: Int

    public init(maxWordBytes: Int = 32, maxJSONBytes: Int = 16 << 20,
                maxBinaryFrameBytes: Int = 1 << 30, maxBinaryFrames: Int = 4096) {
        self.maxWordBytes = maxWordBytes
        self.maxJSONBytes = maxJSONBytes
        self.maxBinaryFrameBytes = maxBinaryFrameBytes
        self.maxBinaryFrames = maxBinaryFrames
    }

    public static let standard = WireLimits()

    /// libzmq's per-frame cap (`ZMQ_MAXMSGSIZE`): above it a peer is disconnected without a reply.
    /// Twice the protocol limit, so ordinary oversize is still received and answered.
    public static let socketHardCapBytes = 2 << 30
    /// The chunk size clients should use for UPLOAD_CHUNK.
    public static let recommendedChunkBytes = 8 << 20
}
