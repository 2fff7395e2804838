/// Everything needed to turn rollout rows into one clip, after backend resolution and camera
/// configuration are done: the input of the render → encode pipeline.
public struct ClipRenderRequest: Sendable, Codable, Equatable {
    public var backend: VideoBackend
    /// The camera set at construction (Kit keeps it for the whole clip).
    public var camera: CameraView
    /// Follow the rollout's per-step `camera_track` (the Newton visualizer's live camera), when present.
    public var followsCameraTrack: Bool
    public var width: Int
    public var height: Int
    public var frameRate: FrameRate
    /// Env steps whose frames the clip holds, in order: frame k shows the scene after step `steps[k]`.
    public var steps: [Int]

    public init(backend: VideoBackend, camera: CameraView, followsCameraTrack: Bool = false,
                width: Int = 1280, height: Int = 720, frameRate: FrameRate, steps: [Int]) {
        self.backend = backend
        self.camera = camera
        self.followsCameraTrack = followsCameraTrack
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.steps = steps
    }

    public var frameCount: Int { steps.count }
}
