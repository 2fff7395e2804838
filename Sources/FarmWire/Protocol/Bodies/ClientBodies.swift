import FarmCore

/// SUBMIT: a recording job. The rollout is binary frame 0 (a whole rollout file, inline) or a
/// completed upload named by `upload_id` (then no binary frame).
public struct SubmitJob: Codable, Sendable, Equatable {
    /// `rl_games`, `rsl_rl`, `skrl`, `sb3`, …; with task and run, names the run's directory.
    public var workflow: String
    public var task: String
    public var run: String
    public var videoLength: Int
    public var videoInterval: Int
    /// `gymnasium` (default) or `isaaclab`.
    public var schedule: String?
    public var stepOffset: Int?
    public var frameStride: Int?
    public var backendInputs: BackendInputs
    /// Camera overrides; otherwise the rollout's viewer, otherwise the recorder default.
    public var eye: Vec3?
    public var lookat: Vec3?
    public var width: Int?
    public var height: Int?
    /// Retries of a failing clip on other workers (default 2).
    public var maxRetries: Int?
    public var uploadId: String?
    /// `isaaclab` schedule: the clip's playback fps (`VideoRecorderCfg.fps`), else the env's
    /// `render_fps`, else `round(1/step_dt)` (`IsaacLabFrameRate`).
    public var fps: Int?
    public var renderFps: Double?
    /// One clip instead of a schedule: the rollout's first `video_length` steps from its `first_step`,
    /// filed under this name (a recorder that decides its own clips, e.g. a gymnasium RecordVideo
    /// wrapper with any trigger or name prefix).
    public var clipFile: String?
    /// With `clip_file`: replace a file of that name the farm did not write (refused otherwise).
    public var overwrite: Bool?
    /// One clip, as `clip_file` makes, named by the coordinator as Isaac Lab 3's recorder names its
    /// next clip: `<clip_prefix>_<index:04d>.mp4`, the index one past the highest of the prefix in the
    /// run's video folder, claimed there by an unfinished job, or in `local_files`; played at Isaac Lab's
    /// rate (`IsaacLabFrameRate`: `fps`, `render_fps`, the rollout's `step_dt`, `frame_stride`). For a
    /// recorder in the trainer (Isaac Lab's `VideoRecorder`) that cuts clips itself and leaves naming,
    /// keep-last and the rate to the farm.
    public var clipPrefix: String?
    /// With `clip_prefix`: the file names in the submitter's own output folder, which the numbering
    /// continues after and `keep_last_n_clips` prunes (the job record's `supersedes`), as Isaac Lab's
    /// recorder reads its output folder. At most `maxLocalFiles`; names that are not clips of the
    /// prefix are ignored.
    public var localFiles: [String]?

    public static let maxLocalFiles = 10_000
    /// The most `supersedes` one `clip_prefix` job names (the lowest indices first; the submitter's
    /// next clip names the rest), so a job's stored record stays small whatever its folder holds.
    public static let maxSupersedes = 1_000
    /// Chosen by the client (a UUID), at most `maxIdempotencyKeyBytes`: a SUBMIT repeated with the same key
    /// by the same client answers with the job the first one made instead of making another, so a
    /// client whose reply was lost can simply send it again.
    public var idempotencyKey: String?

    public static let maxIdempotencyKeyBytes = 128

    /// Why `key` cannot be an idempotency key (nil when it can): 1 to `maxIdempotencyKeyBytes`
    /// bytes, nothing that would break a log line (`OneLine`); the coordinator logs and stores it.
    public static func idempotencyKeyProblem(_ key: String) -> String? {
        let bytes = key.utf8.count
        guard (1...maxIdempotencyKeyBytes).contains(bytes) else {
            return "is \(bytes) bytes; it must be 1 to \(maxIdempotencyKeyBytes) (a UUID is 36)"
        }
        guard let bad = OneLine.forbiddenScalar(in: key) else { return nil }
        return "contains U+\(OneLine.hex(bad.value)), which would break a log line"
    }
    /// `isaaclab` schedule only: several streams from the one rollout, each `<prefix>_<index:04d>.mp4`
    /// numbered per prefix. The job's own fields are every stream's defaults. Absent: one stream,
    /// prefix `clip`, as the fields above describe it.
    public var streams: [StreamRequest]?
    /// `isaaclab` schedule only: the default stream's (and every stream's default) `keep_last_n_clips`.
    public var keepLastNClips: Int?
    /// The default stream's (and every stream's default) output: `rgb`, `depth`, `normals`,
    /// `segmentation`; with its depth range for `depth`.
    public var output: String?
    public var depthColormapMin: Double?
    public var depthColormapMax: Double?
    /// Field negotiation: the fields of this SUBMIT the client needs applied (top-level names, a
    /// stream's as `streams.<name>`). One this build does not know refuses the SUBMIT
    /// (`ProtocolError.unsupportedFields`) rather than being ignored.
    public var requiredFields: [String]?

    /// Every field, so `required_fields` can be checked against what this build knows.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case workflow, task, run, videoLength, videoInterval, schedule, stepOffset, frameStride, backendInputs, eye,
             lookat, width, height, maxRetries, uploadId, fps, renderFps, clipFile, overwrite, clipPrefix, localFiles,
             idempotencyKey, streams, keepLastNClips, output, depthColormapMin, depthColormapMax, requiredFields
    }

    /// The wire names of every field this build applies, streams' fields as `streams.<name>`.
    public static let knownFields: Set<String> = Set(CodingKeys.allCases.map { WireJSON.snakeCase($0.stringValue) })
        .union(StreamRequest.CodingKeys.allCases.map { "streams." + WireJSON.snakeCase($0.stringValue) })

    /// The `required_fields` this build does not know, in the order given.
    public var unsupportedRequiredFields: [String] {
        (requiredFields ?? []).filter { !Self.knownFields.contains($0) }
    }

    public init(workflow: String, task: String, run: String, videoLength: Int, videoInterval: Int,
                schedule: String? = nil, stepOffset: Int? = nil, frameStride: Int? = nil,
                backendInputs: BackendInputs = BackendInputs(), eye: Vec3? = nil, lookat: Vec3? = nil,
                width: Int? = nil, height: Int? = nil, maxRetries: Int? = nil, uploadId: String? = nil,
                fps: Int? = nil, renderFps: Double? = nil, clipFile: String? = nil, streams: [StreamRequest]? = nil,
                keepLastNClips: Int? = nil, output: String? = nil, depthColormapMin: Double? = nil,
                depthColormapMax: Double? = nil) {
        self.workflow = workflow
        self.task = task
        self.run = run
        self.videoLength = videoLength
        self.videoInterval = videoInterval
        self.schedule = schedule
        self.stepOffset = stepOffset
        self.frameStride = frameStride
        self.backendInputs = backendInputs
        self.eye = eye
        self.lookat = lookat
        self.width = width
        self.height = height
        self.maxRetries = maxRetries
        self.uploadId = uploadId
        self.fps = fps
        self.renderFps = renderFps
        self.clipFile = clipFile
        self.streams = streams
        self.keepLastNClips = keepLastNClips
        self.output = output
        self.depthColormapMin = depthColormapMin
        self.depthColormapMax = depthColormapMax
    }
}

/// UPLOAD_BEGIN: start a chunked rollout upload of `total_bytes`. Reply: OK with `upload`.
public struct UploadBegin: Codable, Sendable, Equatable {
    public var totalBytes: Int
    public init(totalBytes: Int) { self.totalBytes = totalBytes }
}

/// UPLOAD_CHUNK: bytes at `offset` of the upload; binary frame 0 holds them. Reply: OK with `upload`.
public struct UploadChunk: Codable, Sendable, Equatable {
    public var uploadId: String
    public var offset: Int

    /// The most bytes one chunk may carry: the coordinator appends each chunk on its loop, and a
    /// 64 MiB write is well inside a heartbeat interval where a 1 GiB frame is not. Clients send
    /// `WireLimits.recommendedChunkBytes`.
    public static let maxBytes = 64 << 20
    public init(uploadId: String, offset: Int) {
        self.uploadId = uploadId
        self.offset = offset
    }
}

/// STATUS: one job (`job_id`) or all jobs. Reply: OK with `job` or `jobs`.
public struct StatusQuery: Codable, Sendable, Equatable {
    public var jobId: String?
    /// Without `job_id`: at most this many jobs, the newest (1...`maxLimit`, default `defaultLimit`).
    public var limit: Int?
    /// Without `job_id`: only jobs older than this one (the reply's `older_than` pages back).
    public var beforeJob: String?
    /// With `job_id`: only the job's clips whose id is greater (the record's `next_clips_after` pages on).
    public var clipsAfter: Int?

    public static let defaultLimit = 100
    public static let maxLimit = 1000
    /// Clips one job record lists at most (STATUS of a job, and the replies to SUBMIT, CANCEL_JOB and
    /// RETRY_JOB): encoding 20,000 held the coordinator's loop about a third of a second.
    public static let clipsPerPage = 1000
    /// STATUS without `job_id` ends its page early, with `older_than`, once its jobs hold this many
    /// clips in all: each job's counts cost the coordinator in proportion to its clips.
    public static let clipsPerJobsPage = 100_000

    public init(jobId: String? = nil, limit: Int? = nil, beforeJob: String? = nil, clipsAfter: Int? = nil) {
        self.jobId = jobId
        self.limit = limit
        self.beforeJob = beforeJob
        self.clipsAfter = clipsAfter
    }
}

/// WORKERS: the farm's workers. Reply: OK with `workers`. Body `{}`.
public struct WorkersQuery: Codable, Sendable, Equatable {
    public init() {}
}

/// CANCEL_JOB: stop a job; workers abandon its clips and nothing more is written. Reply: OK with `job`.
public struct CancelJob: Codable, Sendable, Equatable {
    public var jobId: String
    public init(jobId: String) { self.jobId = jobId }
}

/// RETRY_JOB: send a failed job's failed clips back to the queue (others stay as they are), and
/// file any clips the coordinator is holding for it at once. Reply: OK with `job`.
public struct RetryJob: Codable, Sendable, Equatable {
    public var jobId: String
    public init(jobId: String) { self.jobId = jobId }
}
