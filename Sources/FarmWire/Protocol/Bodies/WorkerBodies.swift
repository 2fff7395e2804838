import FarmCore

/// What a worker says it is doing, in its heartbeats: the part of `WorkerPhase` a worker knows
/// of itself (the coordinator alone decides `connecting`, `lost` and `gone`).
public enum HeartbeatState: String, Codable, Sendable, CaseIterable {
    case idle
    case rendering
    /// SIGTERM received: finishing the current clip, taking no new ones.
    case draining
}

/// The EGL device a worker renders on and the GL implementation behind it.
public struct DeviceInfo: Codable, Sendable, Equatable {
    /// Index in `eglQueryDevicesEXT`'s list, nil when rendering without a device (null render).
    public var eglIndex: Int?
    /// `nvidia`, `software`, `other`, or `none` for the render-free worker.
    public var kind: String
    /// `EGL_CUDA_DEVICE_NV`, when the driver reports it.
    public var cudaOrdinal: Int?
    public var drmPath: String?
    public var glVendor: String
    public var glRenderer: String

    public init(eglIndex: Int?, kind: String, cudaOrdinal: Int? = nil, drmPath: String? = nil,
                glVendor: String, glRenderer: String) {
        self.eglIndex = eglIndex
        self.kind = kind
        self.cudaOrdinal = cudaOrdinal
        self.drmPath = drmPath
        self.glVendor = glVendor
        self.glRenderer = glRenderer
    }

    /// The render-free worker's device.
    public static let none = DeviceInfo(eglIndex: nil, kind: "none", glVendor: "none", glRenderer: "null render")

    /// Short form for logs: "egl0 nvidia cuda:0".
    public var summary: String {
        var parts = [eglIndex.map { "egl\($0)" } ?? "no-egl", kind]
        if let cudaOrdinal { parts.append("cuda:\(cudaOrdinal)") }
        return parts.joined(separator: " ")
    }
}

/// READY: a worker announces itself (on connect and after every reconnect).
public struct Ready: Codable, Sendable, Equatable {
    /// Stable for the life of the process: `host-pid-random`. Also the DEALER routing identity.
    public var workerId: String
    public var host: String
    public var pid: Int
    public var device: DeviceInfo
    public var backends: [VideoBackend]
    /// Video encoders available, e.g. ["libx264"].
    public var encoders: [String]
    /// The farm build's version string.
    public var version: String
    /// `WorkerFeature` names; absent from workers that predate it (they get plain tasks only).
    public var features: [String]?

    public init(workerId: String, host: String, pid: Int, device: DeviceInfo, backends: [VideoBackend],
                encoders: [String], version: String, features: [String]? = nil) {
        self.workerId = workerId
        self.host = host
        self.pid = pid
        self.device = device
        self.backends = backends
        self.encoders = encoders
        self.version = version
        self.features = features
    }
}

/// HEARTBEAT from a worker, every interval, also while a clip renders.
public struct WorkerHeartbeat: Codable, Sendable, Equatable {
    public var state: HeartbeatState
    public var jobId: String?
    public var clipId: Int?
    public var attempt: Int?
    public var framesDone: Int
    public var framesTotal: Int
    /// Render-and-encode frames per second over the current clip so far (0 when idle).
    public var fps: Double
    public var rssBytes: Int

    public init(state: HeartbeatState, jobId: String? = nil, clipId: Int? = nil, attempt: Int? = nil,
                framesDone: Int = 0, framesTotal: Int = 0, fps: Double = 0, rssBytes: Int) {
        self.state = state
        self.jobId = jobId
        self.clipId = clipId
        self.attempt = attempt
        self.framesDone = framesDone
        self.framesTotal = framesTotal
        self.fps = fps
        self.rssBytes = rssBytes
    }
}

/// Measurements of one produced clip.
public struct ClipStats: Codable, Sendable, Equatable {
    public var frames: Int
    /// Playback rate written into the MP4.
    public var fps: FrameRate
    /// Wall time from the first frame rendered to the file in place, in milliseconds (rendering,
    /// conversion and encoding overlap, so it is not split between them).
    public var wallMs: Double
    /// Size of the MP4 (equals the binary frame's length).
    public var bytes: Int

    public init(frames: Int, fps: FrameRate, wallMs: Double, bytes: Int) {
        self.frames = frames
        self.fps = fps
        self.wallMs = wallMs
        self.bytes = bytes
    }
}

/// RESULT: the clip, fenced by (job, clip, attempt). Binary frame 0: the MP4 bytes.
public struct TaskResult: Codable, Sendable, Equatable {
    public var jobId: String
    public var clipId: Int
    public var attempt: Int
    public var stats: ClipStats

    public init(jobId: String, clipId: Int, attempt: Int, stats: ClipStats) {
        self.jobId = jobId
        self.clipId = clipId
        self.attempt = attempt
        self.stats = stats
    }
}

/// FAILED: the worker could not produce the clip.
public struct TaskFailure: Codable, Sendable, Equatable {
    public var jobId: String
    public var clipId: Int
    public var attempt: Int
    public var error: String
    /// Whether another worker could succeed (false for a bad rollout or an unresolvable backend;
    /// true for this worker's device or encoder trouble).
    public var retryable: Bool

    public init(jobId: String, clipId: Int, attempt: Int, error: String, retryable: Bool) {
        self.jobId = jobId
        self.clipId = clipId
        self.attempt = attempt
        self.error = error
        self.retryable = retryable
    }
}
