import FarmCore
import FarmWire

public typealias JobID = Int64
public typealias WorkerID = String

/// A clip is named by its job and its index in the job's plan.
public struct ClipKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var job: JobID
    public var index: Int

    public init(job: JobID, index: Int) {
        self.job = job
        self.index = index
    }

    public var description: String { "\(job)/\(index)" }

    public static func < (a: ClipKey, b: ClipKey) -> Bool { (a.job, a.index) < (b.job, b.index) }
}

/// One planned clip: its file name, the env steps whose frames it holds, and the job's stream it
/// belongs to.
public struct ClipPlan: Sendable, Codable, Equatable {
    public var file: String
    public var steps: [Int]
    /// Index into the job's `streams`.
    public var stream: Int

    public init(file: String, steps: [Int], stream: Int = 0) {
        self.file = file
        self.steps = steps
        self.stream = stream
    }

    public var firstStep: Int { steps.first ?? 0 }
    public var frames: Int { steps.count }
}

/// A job as the coordinator tracks it in memory and in SQLite (FarmWire's `JobRecord` is what
/// clients are shown of it).
public struct TrackedJob: Sendable, Equatable {
    public var id: JobID
    public var spec: JobSpec
    public var state: JobState
    /// Seconds since 1970.
    public var submittedAt: Double
    public var finishedAt: Double?
    /// The spooled rollout file in the state directory.
    public var rolloutPath: String

    public init(id: JobID, spec: JobSpec, state: JobState = .queued, submittedAt: Double,
                finishedAt: Double? = nil, rolloutPath: String) {
        self.id = id
        self.spec = spec
        self.state = state
        self.submittedAt = submittedAt
        self.finishedAt = finishedAt
        self.rolloutPath = rolloutPath
    }
}

/// A clip as the coordinator tracks it: state, attempts, holder, failures.
public struct TrackedClip: Sendable, Equatable {
    public var key: ClipKey
    public var plan: ClipPlan
    public var state: ClipState
    /// Dispatches so far; the current or last attempt's number (1-based). Fencing compares against it.
    public var attempts: Int
    /// Failures of the clip itself, which use up retries (a lost worker's does not).
    public var failures: Int
    /// Workers lost while holding this clip (`SchedulerPolicy.poisonAfterLostWorkers`).
    public var lostWorkers: Int
    /// The worker holding the clip while it is dispatched.
    public var worker: WorkerID?
    /// Workers this clip failed on, avoided by its retries.
    public var failedOn: [WorkerID]
    /// The last failure's message.
    public var error: String?
    /// Where the clip was filed once done.
    public var path: String?
    /// Why a done clip is not (or no longer) in the video folder: `keep_last_n_clips` superseded it.
    public var removed: String?

    public init(key: ClipKey, plan: ClipPlan, state: ClipState = .queued, attempts: Int = 0, failures: Int = 0,
                worker: WorkerID? = nil, failedOn: [WorkerID] = [], error: String? = nil, path: String? = nil,
                removed: String? = nil, lostWorkers: Int = 0) {
        self.key = key
        self.plan = plan
        self.state = state
        self.attempts = attempts
        self.failures = failures
        self.worker = worker
        self.failedOn = failedOn
        self.error = error
        self.path = path
        self.removed = removed
        self.lostWorkers = lostWorkers
    }
}

/// What a worker said about itself in READY.
public struct WorkerInfo: Sendable, Codable, Equatable {
    public var host: String
    public var pid: Int
    public var device: String
    public var renderer: String
    public var backends: [String]
    public var version: String
    /// The whole device description from READY, kept so a restarted coordinator can still show it.
    public var deviceInfo: DeviceInfo?
    /// READY's `features` (`WorkerFeature` names); nil in rows written by older builds.
    public var features: [String]?

    public init(host: String, pid: Int, device: String = "", renderer: String = "", backends: [String] = [],
                version: String = "", deviceInfo: DeviceInfo? = nil, features: [String]? = nil) {
        self.host = host
        self.pid = pid
        self.device = device
        self.renderer = renderer
        self.backends = backends
        self.version = version
        self.deviceInfo = deviceInfo
        self.features = features
    }
}

/// A worker as the coordinator tracks it: its state (which carries the clip it renders, if any),
/// its last progress.
public struct TrackedWorker: Sendable, Equatable {
    public var id: WorkerID
    public var info: WorkerInfo
    public var state: WorkerState
    /// Seconds since 1970 of the last message heard from it.
    public var lastHeard: Double
    /// Its recent heartbeats, which set how long it may stay silent. Memory only.
    public var arrivals = HeartbeatArrivals()
    public var progress: ClipProgress?
    /// When its clip's rendered frames last grew (or the clip was dispatched). Memory only.
    public var progressAt: Double?
    /// Why it was last declared lost. Memory only.
    public var lossCause: WorkerLoss?
    public var rssBytes: Int?

    public init(id: WorkerID, info: WorkerInfo, state: WorkerState, lastHeard: Double, progress: ClipProgress? = nil,
                rssBytes: Int? = nil) {
        self.id = id
        self.info = info
        self.state = state
        self.lastHeard = lastHeard
        self.progress = progress
        self.rssBytes = rssBytes
    }

    /// The clip it renders, from its state.
    public var clip: ClipKey? { state.assignment?.clip }
    public var attempt: Int? { state.assignment?.attempt }
}

/// One dispatch of a clip and how it ended.
public struct AttemptRecord: Sendable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        case running, done, failed, lost, cancelled
    }

    public var clip: ClipKey
    public var attempt: Int
    public var worker: WorkerID
    public var startedAt: Double
    public var endedAt: Double?
    public var outcome: Outcome
    public var error: String?

    public init(clip: ClipKey, attempt: Int, worker: WorkerID, startedAt: Double, endedAt: Double? = nil,
                outcome: Outcome = .running, error: String? = nil) {
        self.clip = clip
        self.attempt = attempt
        self.worker = worker
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.error = error
    }
}
