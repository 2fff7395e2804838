/// A finished clip on disk, as `ClipEncoder.finish()` reports it.
public struct EncodedClip: Sendable, Equatable {
    public let path: String
    public let frameCount: Int
    public let byteSize: Int
    /// The encoder that wrote it: "libx264" or "mpeg4".
    public let codecName: String
    /// frameCount / frameRate, in seconds.
    public let duration: Double
}
