import FarmCore
import FarmWire
import FarmWorker
import Foundation
import Testing

/// A scripted coordinator: a real ROUTER on a loopback port, driven by the test.
final class FakeCoordinator {
    let context: ZMQContext
    let router: ZMQSocket
    let endpoint: String

    init() throws {
        context = try ZMQContext()
        router = try ZMQSocket(context: context, kind: .router)
        endpoint = try router.bind("tcp://127.0.0.1:0")
    }

    deinit { router.close() }

    struct Received {
        let identity: Data
        let message: WorkerMessage
        let at: ContinuousClock.Instant
    }

    /// Answer each worker HEARTBEAT with one, as the real coordinator keeps a worker alive.
    var echoHeartbeats = true

    /// The next worker message, or nil at the deadline.
    func next(within timeout: Duration = .seconds(5)) throws -> Received? {
        guard let frames = try router.receive(timeout: timeout) else { return nil }
        let routed = try RoutedMessage(routerFrames: frames)
        let message = try WorkerMessage.parse(routed.payload)
        if echoHeartbeats, case .heartbeat = message { try send(.heartbeat(CoordinatorHeartbeat()), to: routed.identity) }
        return Received(identity: routed.identity, message: message, at: .now)
    }

    /// Skips messages until one matches, failing at the deadline.
    func expect(within timeout: Duration = .seconds(5), _ description: String,
                where matches: (WorkerMessage) -> Bool) throws -> Received {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let received = try next(within: deadline - .now), matches(received.message) { return received }
        }
        throw Timeout(waitingFor: description)
    }

    func send(_ message: CoordinatorMessage, to identity: Data) throws {
        try router.send(RoutedMessage.frames(to: identity, payload: message.frames))
    }

    func sendRaw(_ frames: [Data], to identity: Data) throws {
        try router.send(RoutedMessage.frames(to: identity, payload: frames))
    }

    struct Timeout: Error, CustomStringConvertible {
        let waitingFor: String
        var description: String { "timed out waiting for \(waitingFor)" }
    }
}

/// Runs a daemon on its own thread, as `farm-worker` runs it on the main thread.
final class RunningWorker: @unchecked Sendable {
    let daemon: WorkerDaemon
    private let done = DispatchSemaphore(value: 0)
    // Written once by the worker thread before `done` is signalled; read after waiting on it.
    private var outcome: Result<Void, WorkerError>?

    init(_ daemon: WorkerDaemon) {
        self.daemon = daemon
        Thread.detachNewThread { [self] in
            do throws(WorkerError) {
                try daemon.run()
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            done.signal()
        }
    }

    /// How `run()` ended, or nil if it is still running at the deadline.
    func exit(within timeout: Duration = .seconds(5)) -> Result<Void, WorkerError>? {
        let ms = Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard done.wait(timeout: .now() + .milliseconds(ms)) == .success else { return nil }
        done.signal()
        return outcome
    }
}

enum Sample {
    /// One body, `steps` steps starting at 0.
    static func rollout(steps: Int) -> InMemoryRollout {
        let header = RolloutHeader(stepDT: 1.0 / 60.0, steps: steps, numBodies: 1, numEnvs: 1, envSpacing: 0,
                                   shapes: [ShapeSpec(geometry: .box(halfExtents: Vec3(0.5, 0.5, 0.5)), body: 0)])
        let bodyQ = Array([[Float]](repeating: [0, 0, 1, 0, 0, 0, 1], count: steps).joined())
        return try! InMemoryRollout(header: header, bodyQ: bodyQ)
    }

    static func task(clipId: Int = 1, attempt: Int = 1, frames: Int = 5,
                     inputs: BackendInputs = BackendInputs(presets: ["physx"])) -> CoordinatorMessage {
        .task(TaskAssignment(jobId: "job-1", clipId: clipId, attempt: attempt, clipFile: "rl-video-step-0.mp4",
                             backendInputs: inputs, camera: TaskCamera(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)),
                             width: 64, height: 48, fps: FrameRate(numerator: 60, denominator: 1),
                             steps: Array(0..<frames)),
              rollout: RolloutSlice(rollout(steps: frames)))
    }

    /// Liveness is generous (20 intervals) unless a test is about losing the coordinator, so a
    /// busy test machine never makes a worker reconnect in the middle of another scenario.
    static func configuration(_ coordinator: FakeCoordinator, interval: Duration = .milliseconds(50), liveness: Int = 20,
                              connect: Int = 20,
                              backoff: ReconnectBackoff = ReconnectBackoff(initial: .milliseconds(50), maximum: .milliseconds(200), random: { 1 }),
                              healthFile: String? = nil) -> WorkerConfiguration {
        WorkerConfiguration(coordinator: coordinator.endpoint, heartbeatInterval: interval, livenessIntervals: liveness, connectIntervals: connect, backoff: backoff,
                            healthFile: healthFile, printHeartbeats: false, drainLinger: .seconds(1))
    }
}

/// A producer the test controls: reports each frame, then waits at the gate (or for cancellation)
/// before the next, so the test decides when the clip finishes.
final class GatedProducer: ClipProducing {
    /// What it writes as the clip: the daemon sends the file's bytes unread, so any bytes do.
    static let clip = Data("the gated producer's clip".utf8)
    let gate: Gate
    let backends: [VideoBackend]

    init(gate: Gate, backends: [VideoBackend] = VideoBackend.allCases) {
        self.gate = gate
        self.backends = backends
    }

    var capabilities: ProducerCapabilities {
        ProducerCapabilities(device: DeviceInfo(eglIndex: 0, kind: "software", glVendor: "Mesa", glRenderer: "llvmpipe"),
                             backends: backends, encoders: ["libx264"])
    }

    func produce(_ request: ClipRenderRequest, rollout: any RolloutSource, outputPath: String,
                 progress: @escaping @Sendable (ClipProgress) -> Void,
                 isCancelled: @escaping @Sendable () -> Bool) throws -> ProducedClip {
        try Data().write(to: URL(fileURLWithPath: outputPath))
        gate.started(outputPath)
        for frame in 0..<request.frameCount {
            if isCancelled() { throw CancellationError() }
            progress(ClipProgress(framesDone: frame + 1, framesTotal: request.frameCount, fps: 30))
            gate.waitForStep(orCancelled: isCancelled)
        }
        try Self.clip.write(to: URL(fileURLWithPath: outputPath))
        return ProducedClip(path: outputPath, frames: request.frameCount, bytes: Self.clip.count, wallMs: 1)
    }
}

/// Lets a test release a `GatedProducer` frame by frame, or all at once.
final class Gate: @unchecked Sendable {
    // All state under `condition`.
    private let condition = NSCondition()
    private var open = false
    private(set) var outputPath: String?

    func started(_ path: String) {
        condition.lock()
        outputPath = path
        condition.unlock()
    }

    func release() {
        condition.lock()
        open = true
        condition.broadcast()
        condition.unlock()
    }

    func waitForStep(orCancelled isCancelled: () -> Bool) {
        condition.lock()
        defer { condition.unlock() }
        // Wakes every 10 ms to look at the cancel flag, the way a renderer checks it per frame.
        while !open && !isCancelled() { _ = condition.wait(until: Date().addingTimeInterval(0.01)) }
    }

    var path: String? {
        condition.lock()
        defer { condition.unlock() }
        return outputPath
    }
}

struct BrokenDevice: Error, CustomStringConvertible {
    var description: String { "EGL: no device with CUDA ordinal 3 (2 devices visible)" }
}
