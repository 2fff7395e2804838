import FarmCoordinator
import FarmWire
import Foundation

/// The dashboard's data, polled once a second: every worker, the newest jobs with their progress,
/// one page of the selected job's clips and the heartbeat log's last lines. Its size is bounded by
/// the workers (one row each) and the page sizes, not by the number of jobs or clips in the store.
struct DashboardState: Codable, Equatable {
    static let jobLimit = 20
    static let clipPageSize = 100
    static let heartbeatLines = 12

    struct Job: Codable, Equatable {
        var id: String
        var state: String
        var workflow: String
        var task: String
        var run: String
        var backend: String
        var clipsTotal: Int
        var clipsDone: Int
        var clipsFailed: Int
        var clipsRendering: Int
        var framesTotal: Int
        var framesDone: Int
        var submittedAt: Double
        var finishedAt: Double?
    }

    struct Clip: Codable, Equatable {
        var id: Int
        var file: String
        var state: String
        var attempts: Int
        var frames: Int
        var framesDone: Int
        var worker: String?
        var error: String?
        /// Where the browser fetches the MP4, for done clips.
        var video: String?
    }

    struct ClipPage: Codable, Equatable {
        var job: String
        var offset: Int
        var pageSize: Int
        var total: Int
        var clips: [Clip]
    }

    var now: Double
    var heartbeatInterval: Double
    var livenessTimeout: Double
    var queueDepth: Int
    var workers: [WorkerRecord]
    var jobs: [Job]
    var page: ClipPage?
    var heartbeats: [HeartbeatRecord]

    /// Reads the store and the heartbeat log (blocking: called on the HTTP side's thread pool).
    init(snapshot: CoordinatorSnapshot?, sources: MonitorSources, job selected: JobID?, offset: Int,
         now: Double) throws {
        self.now = now
        heartbeatInterval = snapshot?.heartbeatInterval ?? 1
        livenessTimeout = snapshot?.livenessTimeout ?? 3
        queueDepth = snapshot?.queueDepth ?? 0
        workers = snapshot?.workers ?? []
        let live = Dictionary(workers.compactMap { worker in
            worker.job.flatMap(JobID.init).flatMap { job in worker.clip.map { (ClipKey(job: job, index: $0), worker.framesDone) } }
        }, uniquingKeysWith: max)
        let summaries = try sources.store.jobSummaries(limit: Self.jobLimit)
        jobs = summaries.map { Self.job($0, live: live) }
        heartbeats = HeartbeatTail.read(path: sources.heartbeatLogPath, lines: Self.heartbeatLines)
        let chosen = selected ?? summaries.first(where: { !$0.job.state.isTerminal })?.job.id ?? summaries.first?.job.id
        guard let chosen, let job = try sources.store.job(chosen) else { return }
        let total = try sources.store.clipCount(of: chosen)
        let clips = try sources.store.clips(of: chosen, offset: offset, limit: Self.clipPageSize)
        page = ClipPage(job: String(job.id), offset: offset, pageSize: Self.clipPageSize, total: total,
                        clips: clips.map { Self.clip($0, live: live) })
    }

    private static func job(_ summary: JobSummary, live: [ClipKey: Int]) -> Job {
        let liveFrames = live.filter { $0.key.job == summary.job.id }.values.reduce(0, +)
        return Job(id: String(summary.job.id), state: summary.job.state.rawValue, workflow: summary.job.spec.workflow,
                   task: summary.job.spec.task, run: summary.job.spec.run, backend: summary.job.spec.primary.backend.rawValue,
                   clipsTotal: summary.clipsTotal, clipsDone: summary.clips[.done] ?? 0,
                   clipsFailed: summary.clips[.failed] ?? 0, clipsRendering: summary.clips[.dispatched] ?? 0,
                   framesTotal: summary.framesTotal, framesDone: (summary.frames[.done] ?? 0) + liveFrames,
                   submittedAt: summary.job.submittedAt, finishedAt: summary.job.finishedAt)
    }

    private static func clip(_ clip: TrackedClip, live: [ClipKey: Int]) -> Clip {
        let done = clip.state == .done
        return Clip(id: clip.key.index, file: clip.plan.file, state: clip.state.rawValue,
                    attempts: clip.attempts, frames: clip.plan.frames,
                    framesDone: done ? clip.plan.frames : (clip.state == .dispatched ? live[clip.key] ?? 0 : 0),
                    worker: clip.worker, error: clip.error,
                    video: done && clip.path != nil ? "/clips/\(clip.key.job)/\(clip.key.index).mp4" : nil)
    }
}
