import FarmCore
import FarmWire

/// One stream of a job once submission has been checked: what one Isaac Lab 3 `VideoRecorderCfg`
/// records from the job's rollout. Every clip of a job belongs to one stream (`ClipPlan.stream`).
public struct StreamSpec: Sendable, Codable, Equatable {
    /// `output_filename_prefix`; nil for a job without `streams`, whose clips the schedule names.
    public var prefix: String?
    /// Presets, physics, renderer types, visualizers and backend source, as submitted (workers
    /// resolve again from these).
    public var backendInputs: BackendInputs
    public var backend: VideoBackend
    public var matchedVisualizer: String?
    /// eye and lookat: world positions, or offsets from `anchor`.
    public var camera: CameraView
    public var anchor: CameraAnchor
    public var followsCameraTrack: Bool
    public var output: ClipOutput
    public var width: Int
    public var height: Int
    public var frameRate: FrameRate
    /// Keep only the newest N clips of `prefix` in the run's video folder; nil keeps all.
    public var keepLastNClips: Int?

    public init(prefix: String? = nil, backendInputs: BackendInputs = BackendInputs(), backend: VideoBackend,
                matchedVisualizer: String? = nil, camera: CameraView = .recorderDefault, anchor: CameraAnchor = .world,
                followsCameraTrack: Bool = false, output: ClipOutput = .rgb, width: Int = 1280, height: Int = 720,
                frameRate: FrameRate, keepLastNClips: Int? = nil) {
        self.prefix = prefix
        self.backendInputs = backendInputs
        self.backend = backend
        self.matchedVisualizer = matchedVisualizer
        self.camera = camera
        self.anchor = anchor
        self.followsCameraTrack = followsCameraTrack
        self.output = output
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.keepLastNClips = keepLastNClips
    }

    /// What a worker needs beyond a plain RGB clip from a world camera (READY `features`).
    public var requiredFeatures: Set<String> {
        var features: Set<String> = []
        if output != .rgb { features.insert(WorkerFeature.outputs.rawValue) }
        if anchor != .world { features.insert(WorkerFeature.cameraOrigin.rawValue) }
        return features
    }
}
