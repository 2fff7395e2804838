import FarmCore
import FarmWire

/// What a job records to render its clips once submission has been checked: where the clips go,
/// the backend inputs (workers resolve again from these), the backend the coordinator resolved,
/// and the camera, size and frame rate every clip shares.
public struct JobSpec: Sendable, Codable, Equatable {
    public var workflow: String
    public var task: String
    public var run: String
    /// `gymnasium` or `isaaclab`.
    public var schedule: String
    public var videoLength: Int
    public var videoInterval: Int
    /// Presets, physics, renderer types, visualizers and backend source, as submitted.
    public var backendInputs: BackendInputs
    public var backend: VideoBackend
    public var matchedVisualizer: String?
    public var camera: CameraView
    public var followsCameraTrack: Bool
    public var width: Int
    public var height: Int
    public var frameRate: FrameRate
    /// Warnings from resolution and planning, shown to the submitter.
    public var warnings: [String]
    /// Retries of a failing clip for this job; nil means the coordinator's policy.
    public var maxRetries: Int?
    /// The CURVE public key (Z85) of the client that submitted the job, when the farm authenticates:
    /// only it, or an operator key, may cancel the job.
    public var submitterKey: String?

    public init(workflow: String, task: String, run: String, schedule: String = "gymnasium",
                videoLength: Int = 200, videoInterval: Int = 2000, backendInputs: BackendInputs = BackendInputs(),
                backend: VideoBackend,
                matchedVisualizer: String? = nil, camera: CameraView = .recorderDefault,
                followsCameraTrack: Bool = false, width: Int = 1280, height: Int = 720,
                frameRate: FrameRate, warnings: [String] = [], maxRetries: Int? = nil) {
        self.workflow = workflow
        self.task = task
        self.run = run
        self.schedule = schedule
        self.videoLength = videoLength
        self.videoInterval = videoInterval
        self.backendInputs = backendInputs
        self.backend = backend
        self.matchedVisualizer = matchedVisualizer
        self.camera = camera
        self.followsCameraTrack = followsCameraTrack
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.warnings = warnings
        self.maxRetries = maxRetries
    }
}
