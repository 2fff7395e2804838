/// FETCH_CLIP: a finished clip's bytes, for a client whose video folder is not on the coordinator's
/// filesystem. One request returns at most `max_bytes` from `offset`; a client loops until it holds
/// `total_bytes`. Reply: OK with `clip_chunk` and binary frame 0 holding the bytes.
public struct FetchClip: Codable, Sendable, Equatable {
    public var jobId: String
    public var clipId: Int
    /// Byte offset into the clip file (default 0).
    public var offset: Int?
    /// Most bytes to return (default `defaultChunkBytes`, at most `maxChunkBytes`).
    public var maxBytes: Int?

    public init(jobId: String, clipId: Int, offset: Int? = nil, maxBytes: Int? = nil) {
        self.jobId = jobId
        self.clipId = clipId
        self.offset = offset
        self.maxBytes = maxBytes
    }

    /// 8 MiB, the upload chunk size: one reply stays a comfortable single frame.
    public static let defaultChunkBytes = WireLimits.recommendedChunkBytes
    /// 64 MiB: a larger `max_bytes` is lowered to this, so one reply never holds a whole long clip in
    /// the coordinator's memory at once.
    public static let maxChunkBytes = 64 << 20

    /// The chunk size served: `max_bytes` when given, clamped to 1...maxChunkBytes.
    public var chunkBytes: Int { min(max(maxBytes ?? Self.defaultChunkBytes, 1), Self.maxChunkBytes) }
}

/// Which part of a clip file an OK reply to FETCH_CLIP carries in its binary frame 0.
public struct ClipChunk: Codable, Sendable, Equatable {
    public var jobId: String
    public var clipId: Int
    /// The clip's file name, e.g. `rl-video-step-0.mp4`.
    public var file: String
    public var offset: Int
    /// Bytes in binary frame 0.
    public var bytes: Int
    /// The whole file's size; the clip is complete once `offset + bytes == total_bytes`.
    public var totalBytes: Int

    public init(jobId: String, clipId: Int, file: String, offset: Int, bytes: Int, totalBytes: Int) {
        self.jobId = jobId
        self.clipId = clipId
        self.file = file
        self.offset = offset
        self.bytes = bytes
        self.totalBytes = totalBytes
    }
}
