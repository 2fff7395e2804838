import FarmCore
import FarmWire
import Foundation

/// One clip handed to the render thread.
struct RenderJob: Sendable {
    let task: TaskAssignment
    let request: ClipRenderRequest
    let rollout: InMemoryRollout
    let outputPath: String
}

/// The dedicated thread that owns the clip producer: it creates the producer (GL contexts bind to
/// the creating thread), runs every clip on it, and lets it go on the same thread at the end.
final class RenderThread: @unchecked Sendable {
    typealias Delivery = @Sendable (RenderJob, Result<ProducedClip, any Error>) -> Void

    // `pending`, `stopping` and `startup` are guarded by `condition`.
    private let condition = NSCondition()
    private var pending: RenderJob?
    private var stopping = false
    private var startup: Result<ProducerCapabilities, WorkerError>?
    private let exited = DispatchSemaphore(value: 0)
    private let factory: ClipProducerFactory
    private let progress: @Sendable (ClipProgress) -> Void
    private let isCancelled: @Sendable () -> Bool
    private let deliver: Delivery

    init(factory: @escaping ClipProducerFactory, progress: @escaping @Sendable (ClipProgress) -> Void,
         isCancelled: @escaping @Sendable () -> Bool, deliver: @escaping Delivery) {
        self.factory = factory
        self.progress = progress
        self.isCancelled = isCancelled
        self.deliver = deliver
    }

    /// Starts the thread and waits until the producer exists; a producer that cannot be created is
    /// a fatal device error (the thread has already ended when this throws).
    func start() throws(WorkerError) -> ProducerCapabilities {
        let thread = Thread { [self] in main() }
        thread.name = "farm-worker render"
        thread.start()
        condition.lock()
        while startup == nil { condition.wait() }
        let result = startup!
        condition.unlock()
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

    /// Lets the thread finish its current clip (cancel it first to cut it short), then waits for it to end.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        exited.wait()
    }

    private func main() {
        defer { exited.signal() }
        let producer: any ClipProducing
        do {
            producer = try factory()
        } catch {
            publishStartup(.failure(.deviceUnavailable(String(describing: error))))
            return
        }
        publishStartup(.success(producer.capabilities))
        while let job = next() {
            let outcome = Result<ProducedClip, any Error> {
                try producer.produce(job.request, rollout: job.rollout, outputPath: job.outputPath,
                                     progress: progress, isCancelled: isCancelled)
            }
            deliver(job, outcome)
        }
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
        guard let job = pending else { return nil }
        pending = nil
        return job
    }
}
