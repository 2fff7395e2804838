import FarmWire
import FarmWorker
import Foundation
import Logging

/// Render-free `WorkerDaemon`s (`StandInClipProducer`) on their own threads, each with its own socket
/// to the coordinator: the busiest load a coordinator can be given, with no GPU.
public final class RenderFreeFleet: @unchecked Sendable {
    // `stopped` is only touched under `lock`; the daemons are immutable after init.
    private let daemons: [WorkerDaemon]
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopped = false

    /// Starts `count` workers named `null-00`, `null-01`, …, each with a scratch folder under `scratch`,
    /// presenting `curve` keys when the coordinator requires CURVE. `onStop` hears the error a
    /// worker's `run()` ended with, if any.
    public init(count: Int, coordinator: String, scratch: String, curve: CurveClientKeys? = nil, logger: Logger,
                onStop: @escaping @Sendable (any Error) -> Void) throws {
        daemons = try (0..<count).map { index in
            let id = String(format: "null-%02d", index)
            var configuration = WorkerConfiguration(
                coordinator: coordinator, printHeartbeats: false, scratchDirectory: scratch + "/" + id, workerId: id,
                drainLinger: .milliseconds(500))
            configuration.curve = curve
            return try WorkerDaemon(configuration: configuration, producerFactory: { StandInClipProducer() }, logger: logger)
        }
        for daemon in daemons {
            let finished = self.finished
            Thread {
                do { try daemon.run() } catch { onStop(error) }
                finished.signal()
            }.start()
        }
    }

    deinit { shutDown() }

    /// Drains every worker (each says DISCONNECT) and waits for their threads to return (idempotent).
    public func shutDown() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        for daemon in daemons { daemon.requestDrain() }
        for _ in daemons { finished.wait() }
    }
}
