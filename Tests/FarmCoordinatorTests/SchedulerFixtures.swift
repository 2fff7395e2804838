import FarmCore
import Foundation
import Testing
@testable import FarmCoordinator

/// A scheduler with a manual clock, driven like a farm of fake workers; on a plain in-memory store
/// unless a test of persistence gives it the real one.
final class SchedulerFarm {
    let clock = ManualClock()
    let store: any SchedulerStore
    let scheduler: Scheduler
    /// Clips "written" by the filing closure, in order.
    private(set) var filed: [ClipKey] = []

    init(policy: SchedulerPolicy = SchedulerPolicy(), store: (any SchedulerStore)? = nil) throws {
        let store = store ?? MemorySchedulerStore()
        self.store = store
        scheduler = try Scheduler(store: store, policy: policy, now: clock.now())
    }

    static func spec(backend: VideoBackend = .newtonGL, run: String = "run") -> JobSpec {
        JobSpec(workflow: "rl_games", task: "Isaac-Cartpole-v0", run: run, backend: backend,
                frameRate: FrameRate(numerator: 60, denominator: 1))
    }

    static func plans(_ count: Int, frames: Int = 10) -> [ClipPlan] {
        (0..<count).map { i in ClipPlan(file: "rl-video-step-\(i * 100).mp4", steps: Array((i * 100)..<(i * 100 + frames))) }
    }

    @discardableResult
    func submit(clips: Int, backend: VideoBackend = .newtonGL) throws -> (JobID, [SchedulerEffect]) {
        let (job, records) = try store.insertJob(spec: Self.spec(backend: backend), clips: Self.plans(clips),
                                                 submittedAt: clock.now(), rolloutPath: { "/spool/job-\($0).rollout" })
        let (_, effects) = try scheduler.adopt(job, clips: records, now: clock.now())
        return (job.id, effects)
    }

    @discardableResult
    func ready(_ worker: WorkerID, backends: [String] = []) throws -> [SchedulerEffect] {
        try scheduler.ready(worker: worker, info: WorkerInfo(host: "node", pid: 1, backends: backends), now: clock.now())
    }

    @discardableResult
    func succeed(_ worker: WorkerID, _ clip: ClipKey, attempt: Int) throws -> (ReportVerdict, [SchedulerEffect]) {
        try scheduler.result(worker: worker, clip: clip, attempt: attempt, now: clock.now()) { job, clip in
            self.filed.append(clip.key)
            return .done(.filed(path: "/logs/\(job.spec.run)/\(clip.plan.file)"))
        }
    }

    @discardableResult
    func fail(_ worker: WorkerID, _ clip: ClipKey, attempt: Int, retryable: Bool = true,
              error: String = "render crashed") throws -> (ReportVerdict, [SchedulerEffect]) {
        try scheduler.failed(worker: worker, clip: clip, attempt: attempt, error: error, retryable: retryable,
                             now: clock.now())
    }

    /// Keeps `workers` alive and lets time pass in heartbeat steps.
    func beat(_ workers: [WorkerID], seconds: Double) throws {
        var elapsed = 0.0
        while elapsed < seconds {
            clock.advance(by: 1)
            elapsed += 1
            for id in workers {
                let holding = scheduler.workers[id].flatMap { w in w.clip.map { ($0, w.attempt ?? 0) } }
                _ = try scheduler.heartbeat(worker: id, holding: holding, progress: nil, rssBytes: nil, now: clock.now())
            }
            _ = try scheduler.tick(now: clock.now())
        }
    }

    func clip(_ key: ClipKey) throws -> TrackedClip {
        try #require(try store.clips(of: key.job).first { $0.key == key })
    }

    func job(_ id: JobID) throws -> TrackedJob { try #require(try store.job(id)) }
}

func dispatches(_ effects: [SchedulerEffect]) -> [String] {
    effects.compactMap {
        if case let .dispatch(d) = $0 { return "\(d.worker):\(d.clip.key)#\(d.attempt)" }
        return nil
    }
}

func settled(_ effects: [SchedulerEffect]) -> [JobState] {
    effects.compactMap {
        if case let .jobSettled(_, state) = $0 { return state }
        return nil
    }
}

extension ClipKey {
    static func c(_ job: JobID, _ index: Int) -> ClipKey { ClipKey(job: job, index: index) }
}
