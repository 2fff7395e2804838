import FarmCore
import FarmWire
import Foundation
@testable import FarmCoordinator
@testable import FarmMonitor

/// A state directory with a real on-disk store, a logs root, and a scheduler to put jobs, clips and
/// workers in it; plus the metrics and sources a `MonitorServer` reads.
final class MonitorFixture {
    let directory: String
    let store: CoordinatorStore
    let scheduler: Scheduler
    let metrics = FarmMetrics()
    var now: Double = 1_000_000

    var stateDirectory: String { directory + "/state" }
    var logsRoot: String { directory + "/logs" }
    var sources: MonitorSources {
        MonitorSources(store: store, stateDirectory: stateDirectory, logsRoot: logsRoot,
                       heartbeatLogPath: stateDirectory + "/heartbeats.jsonl")
    }

    init() throws {
        directory = NSTemporaryDirectory() + "farm-monitor-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
        store = try CoordinatorStore.open(stateDirectory: directory + "/state")
        scheduler = try Scheduler(store: store, now: now)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    static func spec(run: String = "run") -> JobSpec {
        JobSpec(workflow: "rl_games", task: "Isaac-Cartpole-v0", run: run, backend: .newtonGL,
                frameRate: FrameRate(numerator: 60, denominator: 1))
    }

    @discardableResult
    func submit(clips: Int, frames: Int = 10) throws -> JobID {
        let plans = (0..<clips).map { i in ClipPlan(file: "rl-video-step-\(i * 100).mp4", steps: Array((i * 100)..<(i * 100 + frames))) }
        let (job, records) = try store.insertJob(spec: Self.spec(), clips: plans, submittedAt: now, rolloutPath: { "/spool/\($0)" })
        return try scheduler.adopt(job, clips: records, now: now).0.id
    }

    func ready(_ worker: WorkerID) throws {
        _ = try scheduler.ready(worker: worker, info: WorkerInfo(host: "node-a", pid: 7), now: now)
    }

    /// The worker's clip filed with `bytes` as its MP4, where the coordinator's filer would put it.
    func file(_ worker: WorkerID, bytes: Data) throws -> String {
        let holder = try requireValue(scheduler.workers[worker])
        let key = try requireValue(holder.clip)
        let filer = ClipFiler(logsRoot: logsRoot)
        var path = ""
        _ = try scheduler.result(worker: worker, clip: key, attempt: holder.attempt ?? 1, now: now) { job, clip in
            do {
                path = try filer.file(bytes, workflow: job.spec.workflow, task: job.spec.task, run: job.spec.run,
                                      file: clip.plan.file)
                return .done(.filed(path: path))
            } catch {
                return .failed(reason: "\(error)")
            }
        }
        return path
    }

    func publish() {
        let workers = scheduler.workers.values.sorted { $0.id < $1.id }.map { worker in
            WorkerRecord(id: worker.id, host: worker.info.host, pid: worker.info.pid,
                         device: DeviceInfo(eglIndex: 0, kind: "software", glVendor: "Mesa", glRenderer: "llvmpipe"),
                         renderer: "llvmpipe", state: worker.state.phase, job: worker.clip.map { String($0.job) },
                         clip: worker.clip?.index, framesDone: 3, framesTotal: 10, fps: 12.5, lastBeat: worker.lastHeard)
        }
        metrics.publish(CoordinatorSnapshot(takenAt: now, workers: workers, queueDepth: scheduler.pendingClips.count,
                                            heartbeatInterval: 1, livenessTimeout: 3))
    }
}

struct MissingValue: Error {}

/// `#require` for helpers outside a test function's body.
func requireValue<T>(_ value: T?) throws -> T {
    guard let value else { throw MissingValue() }
    return value
}
