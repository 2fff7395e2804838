import FarmCore
import Foundation

/// A clip as STATUS reports it.
public struct ClipRecord: Codable, Sendable, Equatable {
    public var id: Int
    public var file: String
    public var firstStep: Int
    public var frames: Int
    public var state: ClipState
    /// Dispatches so far (a lost worker's dispatch counts here but not against retries).
    public var attempts: Int
    /// The worker rendering the clip, or the one that rendered it once done.
    public var worker: String?
    /// Where the finished clip lies.
    public var path: String?
    public var error: String?
    /// Index into the job's `streams`.
    public var stream: Int?
    /// Why a done clip is not, or no longer, at `path`: `keep_last_n_clips` superseded it.
    public var removed: String?

    public init(id: Int, file: String, firstStep: Int, frames: Int, state: ClipState, attempts: Int,
                worker: String? = nil, path: String? = nil, error: String? = nil, stream: Int? = nil,
                removed: String? = nil) {
        self.id = id
        self.file = file
        self.firstStep = firstStep
        self.frames = frames
        self.state = state
        self.attempts = attempts
        self.worker = worker
        self.path = path
        self.error = error
        self.stream = stream
        self.removed = removed
    }
}

/// One stream of a job as STATUS reports it.
public struct StreamRecord: Codable, Sendable, Equatable {
    /// `output_filename_prefix`; absent for a job without `streams`.
    public var prefix: String?
    public var backend: VideoBackend
    /// `rgb`, `depth`, `normals` or `segmentation`.
    public var output: String
    public var width: Int
    public var height: Int
    public var fps: FrameRate
    /// `world`, `env` or `body`: what eye and lookat are measured from.
    public var origin: String
    public var keepLastNClips: Int?

    public init(prefix: String?, backend: VideoBackend, output: String, width: Int, height: Int, fps: FrameRate,
                origin: String, keepLastNClips: Int?) {
        self.prefix = prefix
        self.backend = backend
        self.output = output
        self.width = width
        self.height = height
        self.fps = fps
        self.origin = origin
        self.keepLastNClips = keepLastNClips
    }
}

/// A job as SUBMIT, STATUS and CANCEL_JOB report it; `id` names the job.
public struct JobRecord: Codable, Sendable, Equatable {
    public var id: String
    public var state: JobState
    public var workflow: String
    public var task: String
    public var run: String
    public var backend: VideoBackend
    /// `<logs-root>/<workflow>/<task>/<run>/videos/train`.
    public var videoDir: String
    public var clipsTotal: Int
    public var clipsDone: Int
    public var clipsFailed: Int
    public var framesTotal: Int
    public var framesDone: Int
    /// Backend-resolution warnings (the seed's fallback message), verbatim.
    public var warnings: [String]
    public var error: String?
    /// Unix seconds.
    public var submittedAt: Double
    public var finishedAt: Double?
    /// Per-clip detail, in id order, at most `StatusQuery.clipsPerPage`; STATUS of one job fills it,
    /// the job list leaves it out.
    public var clips: [ClipRecord]?
    /// The job has clips past those listed: STATUS with `clips_after` set to this lists the next.
    public var nextClipsAfter: Int?
    /// Set while the coordinator cannot file this job's clips: why, and what happens next.
    public var filingPaused: String?
    /// What an operator can do about the job now (retry failed clips, free space), one line each.
    public var actions: [String]?
    /// The job's streams, in SUBMIT order (one for a job without `streams`).
    public var streams: [StreamRecord]?
    /// A `clip_prefix` job with `keep_last_n_clips`: the names among its `local_files` that its clip
    /// supersedes. The submitter removes them from its own folder once the clip is in place, as
    /// Isaac Lab's recorder prunes its output folder (the farm prunes its own video folder itself).
    public var supersedes: [String]?

    public init(id: String, state: JobState, workflow: String, task: String, run: String, backend: VideoBackend,
                videoDir: String, clipsTotal: Int, clipsDone: Int = 0, clipsFailed: Int = 0, framesTotal: Int,
                framesDone: Int = 0, warnings: [String] = [], error: String? = nil, submittedAt: Double,
                finishedAt: Double? = nil, clips: [ClipRecord]? = nil, filingPaused: String? = nil,
                actions: [String]? = nil, streams: [StreamRecord]? = nil, supersedes: [String]? = nil,
                nextClipsAfter: Int? = nil) {
        self.id = id
        self.state = state
        self.workflow = workflow
        self.task = task
        self.run = run
        self.backend = backend
        self.videoDir = videoDir
        self.clipsTotal = clipsTotal
        self.clipsDone = clipsDone
        self.clipsFailed = clipsFailed
        self.framesTotal = framesTotal
        self.framesDone = framesDone
        self.warnings = warnings
        self.error = error
        self.submittedAt = submittedAt
        self.finishedAt = finishedAt
        self.clips = clips
        self.filingPaused = filingPaused
        self.actions = actions
        self.streams = streams
        self.supersedes = supersedes
        self.nextClipsAfter = nextClipsAfter
    }
}

/// A worker as WORKERS reports it (`farmctl workers --json`).
public struct WorkerRecord: Codable, Sendable, Equatable {
    public var id: String
    public var host: String
    public var pid: Int
    public var device: DeviceInfo
    /// GL renderer string (also in `device`), top level for `farmctl workers`.
    public var renderer: String
    public var state: WorkerPhase
    public var job: String?
    public var clip: Int?
    public var framesDone: Int
    public var framesTotal: Int
    public var fps: Double
    public var rssBytes: Int
    /// Unix seconds of the last heartbeat.
    public var lastBeat: Double

    public init(id: String, host: String, pid: Int, device: DeviceInfo, renderer: String, state: WorkerPhase,
                job: String? = nil, clip: Int? = nil, framesDone: Int = 0, framesTotal: Int = 0, fps: Double = 0,
                rssBytes: Int = 0, lastBeat: Double) {
        self.id = id
        self.host = host
        self.pid = pid
        self.device = device
        self.renderer = renderer
        self.state = state
        self.job = job
        self.clip = clip
        self.framesDone = framesDone
        self.framesTotal = framesTotal
        self.fps = fps
        self.rssBytes = rssBytes
        self.lastBeat = lastBeat
    }
}

/// Upload progress, in OK replies to UPLOAD_BEGIN and UPLOAD_CHUNK.
public struct UploadState: Codable, Sendable, Equatable {
    public var uploadId: String
    public var totalBytes: Int
    public var receivedBytes: Int

    public init(uploadId: String, totalBytes: Int, receivedBytes: Int) {
        self.uploadId = uploadId
        self.totalBytes = totalBytes
        self.receivedBytes = receivedBytes
    }
}

/// OK's body: the field that answers the request is set, the others are absent.
public struct OkReply: Codable, Sendable, Equatable {
    public var job: JobRecord?
    public var jobs: [JobRecord]?
    public var workers: [WorkerRecord]?
    public var upload: UploadState?
    /// STATUS of all jobs: older jobs exist than this page; pass this as `before_job` for the next.
    public var olderThan: String?
    /// The answer to FETCH_CLIP: which bytes `clipBytes` holds.
    public var clipChunk: ClipChunk?
    /// FETCH_CLIP's bytes; they travel as binary frame 0, not in the JSON body.
    public var clipBytes: Data?
    /// SUBMIT: its `required_fields`, all applied (a coordinator that predates field negotiation
    /// leaves it out).
    public var appliedFields: [String]?

    private enum CodingKeys: String, CodingKey {
        case job, jobs, workers, upload, clipChunk, olderThan, appliedFields
    }

    public init(job: JobRecord? = nil, jobs: [JobRecord]? = nil, workers: [WorkerRecord]? = nil, upload: UploadState? = nil,
                clipChunk: ClipChunk? = nil, clipBytes: Data? = nil, olderThan: String? = nil,
                appliedFields: [String]? = nil) {
        self.appliedFields = appliedFields
        self.job = job
        self.jobs = jobs
        self.olderThan = olderThan
        self.workers = workers
        self.upload = upload
        self.clipChunk = clipChunk
        self.clipBytes = clipBytes
    }
}

/// One line of the heartbeat log (`<state-dir>/heartbeats.jsonl`) and of a worker's stdout.
public struct HeartbeatRecord: Codable, Sendable, Equatable {
    /// Unix seconds.
    public var timestamp: Double
    public var worker: String
    public var host: String
    public var pid: Int
    public var device: String
    public var renderer: String
    public var state: HeartbeatState
    public var job: String?
    public var clip: Int?
    public var attempt: Int?
    public var framesDone: Int
    public var framesTotal: Int
    public var fps: Double
    public var rssBytes: Int

    public init(timestamp: Double, ready: Ready, beat: WorkerHeartbeat) {
        self.timestamp = timestamp
        self.worker = ready.workerId
        self.host = ready.host
        self.pid = ready.pid
        self.device = ready.device.summary
        self.renderer = ready.device.glRenderer
        self.state = beat.state
        self.job = beat.jobId
        self.clip = beat.clipId
        self.attempt = beat.attempt
        self.framesDone = beat.framesDone
        self.framesTotal = beat.framesTotal
        self.fps = beat.fps
        self.rssBytes = beat.rssBytes
    }

    /// One JSON line (no trailing newline), snake_case keys, sorted.
    public func jsonLine() -> String { String(decoding: WireJSON.encode(self), as: UTF8.self) }

    public static func parse(line: String) throws(ProtocolError) -> HeartbeatRecord {
        try WireJSON.decode(HeartbeatRecord.self, from: Data(line.utf8), command: "heartbeat log line")
    }
}
