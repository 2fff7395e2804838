import FarmCore
import FarmWire
import Foundation
import Logging

/// The worker: connects to the coordinator, announces itself, takes one clip at a time, renders it
/// on a dedicated render thread while the calling thread keeps the socket (heartbeats every interval,
/// even mid-clip), reconnects with backoff when the coordinator falls silent, and on `requestDrain()`
/// (SIGTERM) finishes its clip, sends the RESULT and DISCONNECT, and returns.
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
    /// `run()`. Safe from any thread (the SIGTERM handler's queue included).
    public func requestDrain() {
        shared.withLock { $0.drainRequested = true }
        wake.signal()
    }

    /// Runs until drained. Throws on a fatal error: no render device, a protocol version the
    /// coordinator refuses, an unusable endpoint or scratch directory.
    public func run() throws(WorkerError) {
        try prepareScratchDirectory()
        let render = RenderThread(
            factory: factory,
            progress: { [shared] progress in shared.withLock { $0.clip?.progress = progress } },
            isCancelled: { [shared] in shared.withLock { $0.clip?.cancelled ?? false } },
            deliver: { [self] job, outcome in finish(job, outcome) })
        let capabilities = try render.start()
        defer {
            shared.withLock { $0.clip?.cancelled = true }
            render.stop()
        }
        let ready = Ready(workerId: configuration.workerId, host: configuration.host, pid: configuration.pid,
                          device: capabilities.device, backends: capabilities.backends,
                          encoders: capabilities.encoders, version: configuration.version,
                          nullRender: capabilities.nullRender)
        logger.info("worker \(ready.workerId) on \(ready.device.summary) (\(ready.device.glRenderer)) serving \(ready.backends.map(\.rawValue).joined(separator: ", ")); coordinator \(configuration.coordinator)")
        let context: ZMQContext
        do { context = try ZMQContext() } catch { throw .socket(error) }
        var loop = WorkerIOLoop(daemon: self, context: context, ready: ready, render: render)
        try loop.run()
    }

    private func prepareScratchDirectory() throws(WorkerError) {
        do {
            try FileManager.default.createDirectory(atPath: configuration.scratchDirectory, withIntermediateDirectories: true)
        } catch {
            throw .scratchDirectory(path: configuration.scratchDirectory, reason: error.localizedDescription)
        }
    }

    /// On the render thread: turn the outcome into RESULT or FAILED (or nothing, when cancelled),
    /// queue it for the I/O thread and wake it.
    private func finish(_ job: RenderJob, _ outcome: Result<ProducedClip, any Error>) {
        let task = job.task
        let cancelled = shared.withLock { $0.clip?.cancelled ?? false }
        var message: WorkerMessage?
        if cancelled {
            logger.info("clip \(task.clipId) of job \(task.jobId) (attempt \(task.attempt)) cancelled")
        } else {
            switch outcome {
            case .success(let clip):
                do {
                    let mp4 = try Data(contentsOf: URL(fileURLWithPath: clip.path))
                    let stats = ClipStats(frames: clip.frames, fps: task.fps, renderFps: clip.renderFps,
                                          renderMs: clip.renderMs, encodeMs: clip.encodeMs, bytes: mp4.count)
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
            if let message { state.outbox.append(message) }
            state.clip = nil
        }
        wake.signal()
    }

    func failure(_ task: TaskAssignment, _ error: String, retryable: Bool) -> WorkerMessage {
        logger.warning("clip \(task.clipId) of job \(task.jobId) (attempt \(task.attempt)) failed: \(error)")
        return .failed(TaskFailure(jobId: task.jobId, clipId: task.clipId, attempt: task.attempt, error: error, retryable: retryable))
    }
}
