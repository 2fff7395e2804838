/// Everything needed to turn rollout rows into one clip, after backend resolution and camera
/// configuration are done: the input of the render → encode pipeline.
public struct ClipRenderRequest: Sendable, Codable, Equatable {
    public var backend: VideoBackend
    /// The camera set at construction (Kit keeps it for the whole clip).
    public var camera: CameraView
    /// What `camera`'s eye and lookat are measured from; re-evaluated every frame.
    public var anchor: CameraAnchor
    /// Follow the rollout's per-step `camera_track` (the Newton visualizer's live camera), when present;
    /// the track is in world coordinates and takes precedence over `anchor`.
    public var followsCameraTrack: Bool
    /// What the frames show.
    public var output: ClipOutput
    public var width: Int
    public var height: Int
    public var frameRate: FrameRate
    /// Env steps whose frames the clip holds, in order: frame k shows the scene after step `steps[k]`.
    public var steps: [Int]

    public init(backend: VideoBackend, camera: CameraView, anchor: CameraAnchor = .world,
                followsCameraTrack: Bool = false, output: ClipOutput = .rgb,
                width: Int = 1280, height: Int = 720, frameRate: FrameRate, steps: [Int]) {
        self.backend = backend
        self.camera = camera
        self.anchor = anchor
        self.followsCameraTrack = followsCameraTrack
        self.output = output
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.steps = steps
    }

    public var frameCount: Int { steps.count }
}
