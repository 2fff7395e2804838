import FarmCore
import FarmWire
import Foundation
import Logging

/// The worker: connects to the coordinator, announces itself, takes one clip at a time, renders it
/// on a dedicated render thread while the calling thread keeps the socket (heartbeats every interval,
/// even mid-clip), reconnects with backoff when the coordinator falls silent, and on `requestDrain()`
/// (SIGTERM) finishes its clip, sends the RESULT and DISCONNECT, joins the render thread and returns.
public final class WorkerDaemon: Sendable {
    public let configuration: WorkerConfiguration
    private let factory: ClipProducerFactory
    let logger: Logger
    let shared = Locked(SharedWorkerState())
    let wake: WakePipe

    public init(configuration: WorkerConfiguration, producerFactory: @escaping ClipProducerFactory,
                logger: Logger = Logger(label: "farm-worker")) throws(WorkerError) {
        self.configuration = configuration
        self.factory = producerFactory
        self.logger = logger
        do { wake = try WakePipe() } catch { throw .socket(error) }
    }

    /// Asks the daemon to finish its current clip, send the result and DISCONNECT, and return from
    /// `run()`. Safe from any thread (the signal thread included), before or during `run()`.
    public func requestDrain() {
        post(.drain)
    }

    /// Asks the daemon to cancel its current clip (not sent; the coordinator requeues it), then
    /// leave as after a drain: `run()` returns `.abandonedClip` if a clip was cut short.
    public func requestAbandon() {
        post(.abandon)
    }

    private func post(_ request: WorkerEvent) {
        shared.withLock { $0.stopRequests.append(request) }
        wake.signal()
    }

    /// Runs until drained; every thread it starts has been joined when it returns or throws.
    /// Throws on a fatal error: no render device, a protocol version the coordinator refuses, an
    /// unusable endpoint or scratch directory.
    @discardableResult
    public func run() throws(WorkerError) -> WorkerExit {
        let scratch = try WorkerScratch(root: configuration.scratchDirectory)
        let swept = scratch.removeDeadWorkersFolders()
        if !swept.isEmpty {
            logger.info("removed \(swept.count) scratch folder(s) of workers no longer running: \(swept.joined(separator: ", "))")
        }
        let render = RenderThread(
            factory: factory,
            progress: { [shared] progress in shared.withLock { $0.progress = progress } },
            isCancelled: { [shared] clip in shared.withLock { $0.cancelled == clip } },
            deliver: { [self] job, outcome in finish(job, outcome) })
        let capabilities = try render.start()
        // The scratch folder outlives the render thread, which may be writing into it.
        defer {
            render.stop()
            withExtendedLifetime(scratch) {}
        }
        let ready = Ready(workerId: configuration.workerId, host: configuration.host, pid: configuration.pid,
                          device: capabilities.device, backends: capabilities.backends,
                          encoders: capabilities.encoders, version: configuration.version,
                          features: capabilities.features.map(\.rawValue))
        logger.info("worker \(ready.workerId) on \(ready.device.summary) (\(ready.device.glRenderer)) serving \(ready.backends.map(\.rawValue).joined(separator: ", ")); coordinator \(configuration.coordinator)")
        let context: ZMQContext
        do { context = try ZMQContext() } catch { throw .socket(error) }
        var loop = WorkerIOLoop(daemon: self, context: context, ready: ready, render: render, scratch: scratch)
        return try loop.run()
    }

    /// On the render thread: turn the outcome into RESULT or FAILED (or nothing, when cancelled),
    /// post it for the I/O thread and wake it.
    private func finish(_ job: RenderJob, _ outcome: Result<ProducedClip, any Error>) {
        let task = job.task
        let cancelled = shared.withLock { $0.cancelled == job.clip }
        var message: WorkerMessage?
        if cancelled {
            logger.info("\(job.clip) cancelled")
        } else {
            switch outcome {
            case .success(let clip):
                do {
                    let mp4 = try Data(contentsOf: URL(fileURLWithPath: clip.path))
                    let stats = ClipStats(frames: clip.frames, fps: task.fps, wallMs: clip.wallMs, bytes: mp4.count)
                    message = .result(TaskResult(jobId: task.jobId, clipId: task.clipId, attempt: task.attempt, stats: stats), mp4: mp4)
                } catch {
                    message = failure(task, "cannot read the produced clip \(clip.path): \(error.localizedDescription)", retryable: true)
                }
            case .failure(let error):
                message = failure(task, String(describing: error), retryable: retryElsewhere(after: error))
            }
        }
        try? FileManager.default.removeItem(atPath: job.outputPath)
        shared.withLock { state in
            state.finished.append(.init(clip: job.clip, message: message))
            state.progress = nil
        }
        wake.signal()
    }

    func failure(_ task: TaskAssignment, _ error: String, retryable: Bool) -> WorkerMessage {
        logger.warning("clip \(task.clipId) of job \(task.jobId) (attempt \(task.attempt)) failed: \(error)")
        return .failed(TaskFailure(jobId: task.jobId, clipId: task.clipId, attempt: task.attempt, error: error, retryable: retryable))
    }
}
