import FarmCore
import FarmWire
import Foundation

/// One clip handed to the render thread.
struct RenderJob: Sendable {
    let clip: ClipRef
    let task: TaskAssignment
    let request: ClipRenderRequest
    let rollout: InMemoryRollout
    let outputPath: String
}

/// The dedicated thread (`farm-render`) that owns the clip producer: it creates the producer (GL
/// contexts bind to the creating thread), runs every clip on it, and releases it on the same thread
/// at the end, so EGL is torn down where it was set up. `stop()` joins it.
final class RenderThread: @unchecked Sendable {
    typealias Delivery = @Sendable (RenderJob, Result<ProducedClip, any Error>) -> Void

    // `pending`, `stopping` and `startup` are guarded by `condition`.
    private let condition = NSCondition()
    private var pending: RenderJob?
    private var stopping = false
    private var startup: Result<ProducerCapabilities, WorkerError>?
    private var thread: JoinableThread?
    private let factory: ClipProducerFactory
    private let progress: @Sendable (ClipProgress) -> Void
    private let isCancelled: @Sendable (ClipRef) -> Bool
    private let deliver: Delivery

    init(factory: @escaping ClipProducerFactory, progress: @escaping @Sendable (ClipProgress) -> Void,
         isCancelled: @escaping @Sendable (ClipRef) -> Bool, deliver: @escaping Delivery) {
        self.factory = factory
        self.progress = progress
        self.isCancelled = isCancelled
        self.deliver = deliver
    }

    /// Starts the thread and waits until the producer exists; a producer that cannot be created is
    /// a fatal device error (the thread has been joined when this throws).
    func start() throws(WorkerError) -> ProducerCapabilities {
        let thread = JoinableThread(name: "farm-render") { [self] in main() }
        self.thread = thread
        condition.lock()
        while startup == nil { condition.wait() }
        let result = startup!
        condition.unlock()
        if case .failure = result { thread.join() }
        return try result.get()
    }

    /// Hands a clip over; the daemon sends at most one at a time.
    func submit(_ job: RenderJob) {
        condition.lock()
        precondition(pending == nil, "one clip at a time")
        pending = job
        condition.signal()
        condition.unlock()
    }

    /// Cancels the clip in hand, if any (it is delivered as cancelled), lets the producer go on
    /// the render thread and joins it.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        thread?.join()
    }

    private var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    private func main() {
        var producer: (any ClipProducing)?
        do {
            producer = try factory()
        } catch {
            publishStartup(.failure(.deviceUnavailable(String(describing: error))))
            return
        }
        publishStartup(.success(producer!.capabilities))
        while let job = next(), let current = producer {
            let outcome = Result<ProducedClip, any Error> {
                try current.produce(job.request, rollout: job.rollout, outputPath: job.outputPath, progress: progress,
                                    isCancelled: { [self] in isStopping || isCancelled(job.clip) })
            }
            deliver(job, outcome)
        }
        // Released here, before the thread ends, so the GL context and EGL display are torn down
        // on the thread that made them current.
        producer = nil
    }

    private func publishStartup(_ result: Result<ProducerCapabilities, WorkerError>) {
        condition.lock()
        startup = result
        condition.broadcast()
        condition.unlock()
    }

    /// The next clip, or nil once stopping.
    private func next() -> RenderJob? {
        condition.lock()
        defer { condition.unlock() }
        while pending == nil && !stopping { condition.wait() }
        guard let job = pending, !stopping else { return nil }
        pending = nil
        return job
    }
}
