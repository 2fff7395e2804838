import FarmCore
import FarmWire

/// What a job records to render its clips once submission has been checked: where the clips go,
/// the schedule, and its streams (one, unless the submission listed several), each with the backend
/// inputs, camera, output, size and frame rate its clips share.
public struct JobSpec: Sendable, Codable, Equatable {
    public var workflow: String
    public var task: String
    public var run: String
    /// `gymnasium` or `isaaclab`.
    public var schedule: String
    public var videoLength: Int
    public var videoInterval: Int
    /// Never empty.
    public var streams: [StreamSpec]
    /// Warnings from resolution and planning, shown to the submitter.
    public var warnings: [String]
    /// Retries of a failing clip for this job; nil means the coordinator's policy.
    public var maxRetries: Int?
    /// The CURVE public key (Z85) of the client that submitted the job, when the farm authenticates:
    /// only it, or an operator key, may cancel the job.
    public var submitterKey: String?
    /// SUBMIT's `idempotency_key`: a repeated SUBMIT with it (from the same key) finds this job.
    public var idempotencyKey: String?
    /// A `clip_prefix` job with `keep_last_n_clips`: the submitter's `local_files` its clip supersedes.
    public var supersedes: [String]?

    public init(workflow: String, task: String, run: String, schedule: String = "gymnasium",
                videoLength: Int = 200, videoInterval: Int = 2000, streams: [StreamSpec],
                warnings: [String] = [], maxRetries: Int? = nil) {
        precondition(!streams.isEmpty, "a job has at least one stream")
        self.workflow = workflow
        self.task = task
        self.run = run
        self.schedule = schedule
        self.videoLength = videoLength
        self.videoInterval = videoInterval
        self.streams = streams
        self.warnings = warnings
        self.maxRetries = maxRetries
    }

    /// A job of one stream.
    public init(workflow: String, task: String, run: String, schedule: String = "gymnasium",
                videoLength: Int = 200, videoInterval: Int = 2000, backendInputs: BackendInputs = BackendInputs(),
                backend: VideoBackend, matchedVisualizer: String? = nil, camera: CameraView = .recorderDefault,
                followsCameraTrack: Bool = false, width: Int = 1280, height: Int = 720,
                frameRate: FrameRate, warnings: [String] = [], maxRetries: Int? = nil) {
        self.init(workflow: workflow, task: task, run: run, schedule: schedule, videoLength: videoLength,
                  videoInterval: videoInterval,
                  streams: [StreamSpec(backendInputs: backendInputs, backend: backend, matchedVisualizer: matchedVisualizer,
                                       camera: camera, followsCameraTrack: followsCameraTrack, width: width,
                                       height: height, frameRate: frameRate)],
                  warnings: warnings, maxRetries: maxRetries)
    }

    /// The first stream: the job's only one unless it listed several.
    public var primary: StreamSpec { streams[0] }

    /// The stream a clip belongs to (the first for an index out of range, which the store never holds).
    public func stream(_ index: Int) -> StreamSpec { streams.indices.contains(index) ? streams[index] : streams[0] }

    private enum CodingKeys: String, CodingKey {
        case workflow, task, run, schedule, videoLength, videoInterval, streams, warnings, maxRetries, submitterKey
        case idempotencyKey
        // A job stored before streams existed kept its one stream's fields at the top level.
        case backendInputs, backend, matchedVisualizer, camera, followsCameraTrack, width, height, frameRate
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        workflow = try c.decode(String.self, forKey: .workflow)
        task = try c.decode(String.self, forKey: .task)
        run = try c.decode(String.self, forKey: .run)
        schedule = try c.decode(String.self, forKey: .schedule)
        videoLength = try c.decode(Int.self, forKey: .videoLength)
        videoInterval = try c.decode(Int.self, forKey: .videoInterval)
        warnings = try c.decode([String].self, forKey: .warnings)
        maxRetries = try c.decodeIfPresent(Int.self, forKey: .maxRetries)
        submitterKey = try c.decodeIfPresent(String.self, forKey: .submitterKey)
        idempotencyKey = try c.decodeIfPresent(String.self, forKey: .idempotencyKey)
        if let streams = try c.decodeIfPresent([StreamSpec].self, forKey: .streams), !streams.isEmpty {
            self.streams = streams
        } else {
            streams = [StreamSpec(
                backendInputs: try c.decode(BackendInputs.self, forKey: .backendInputs),
                backend: try c.decode(VideoBackend.self, forKey: .backend),
                matchedVisualizer: try c.decodeIfPresent(String.self, forKey: .matchedVisualizer),
                camera: try c.decode(CameraView.self, forKey: .camera),
                followsCameraTrack: try c.decode(Bool.self, forKey: .followsCameraTrack),
                width: try c.decode(Int.self, forKey: .width), height: try c.decode(Int.self, forKey: .height),
                frameRate: try c.decode(FrameRate.self, forKey: .frameRate))]
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(workflow, forKey: .workflow)
        try c.encode(task, forKey: .task)
        try c.encode(run, forKey: .run)
        try c.encode(schedule, forKey: .schedule)
        try c.encode(videoLength, forKey: .videoLength)
        try c.encode(videoInterval, forKey: .videoInterval)
        try c.encode(streams, forKey: .streams)
        try c.encode(warnings, forKey: .warnings)
        try c.encodeIfPresent(maxRetries, forKey: .maxRetries)
        try c.encodeIfPresent(submitterKey, forKey: .submitterKey)
        try c.encodeIfPresent(idempotencyKey, forKey: .idempotencyKey)
    }
}
