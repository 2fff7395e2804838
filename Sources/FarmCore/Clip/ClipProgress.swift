/// How far a clip has got, for heartbeats and progress lines.
public struct ClipProgress: Sendable, Codable, Equatable {
    public var framesDone: Int
    public var framesTotal: Int
    /// Frames per second over the clip so far.
    public var fps: Double

    public init(framesDone: Int, framesTotal: Int, fps: Double) {
        self.framesDone = framesDone
        self.framesTotal = framesTotal
        self.fps = fps
    }
}
