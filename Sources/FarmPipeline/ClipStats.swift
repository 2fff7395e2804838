/// What one produced clip cost and where it is.
public struct ClipStats: Sendable, Codable, Equatable {
    public var path: String
    public var frames: Int
    public var bytes: Int
    public var codec: String
    /// Wall time from first render to the file in place.
    public var seconds: Double
    /// The GL renderer that drew it (`GL_RENDERER`).
    public var renderer: String

    public var fps: Double { seconds > 0 ? Double(frames) / seconds : 0 }
}
