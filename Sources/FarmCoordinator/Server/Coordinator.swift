import FarmWire
import Logging
import Synchronization

/// The coordinator daemon: one thread polls the worker and client ROUTER sockets together, feeds
/// every message to the `Scheduler`, and carries out its effects (TASK, CANCEL, filing clips).
///
/// From a test: `let c = try Coordinator(config: CoordinatorConfig(stateDirectory:logsRoot:))`, run
/// `try c.run()` on a thread, talk to `c.workerEndpoint` / `c.clientEndpoint`, then `c.stop()`.
/// The sockets are bound in `init` (so the endpoints are known at once). This handle is what
/// threads share; the state it serves with is a `CoordinatorLoop`, handed to the thread in `run()`.
public final class Coordinator: Sendable {
    public let config: CoordinatorConfig
    /// Endpoints as bound (a `:0` port resolved to the one the OS chose).
    public let workerEndpoint: String
    public let clientEndpoint: String
    /// What the HTTP side reads besides the snapshots.
    public let monitorSources: MonitorSources
    private let wake: WakePipe
    private let stopRequested = Mutex(false)
    /// Taken by the one `run()`: the loop is never touched by two threads.
    private let loop: Mutex<CoordinatorLoop?>

    public init(config: CoordinatorConfig, logger: Logger = Logger(label: "farm.coordinator"),
                monitor: (any CoordinatorMonitor)? = nil) throws(CoordinatorError) {
        let loop = try CoordinatorLoop(config: config, logger: logger, monitor: monitor)
        self.config = loop.config
        workerEndpoint = loop.workerEndpoint
        clientEndpoint = loop.clientEndpoint
        monitorSources = loop.monitorSources
        wake = loop.wake
        self.loop = Mutex(loop)
    }

    /// Serves until `stop()`. Throws only when the state database fails (the coordinator stops rather
    /// than lose track of jobs) or a socket breaks.
    public func run() throws(CoordinatorError) {
        guard let loop = loop.withLock({ $0.take() }) else { preconditionFailure("Coordinator.run() was called twice") }
        try loop.run { stopRequested.withLock { $0 } }
    }

    /// Asks `run()` to return after the message it is handling. Safe from any thread.
    public func stop() {
        stopRequested.withLock { $0 = true }
        wake.signal()
    }
}
