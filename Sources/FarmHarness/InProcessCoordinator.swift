import FarmCoordinator
import Foundation
import Logging
import Synchronization

/// A real coordinator served on a thread of this process (free loopback ports unless the config
/// names others), for the coordinator's tests and `farm-bench dispatch`. The caller owns the state
/// directory and logs root the config names; `shutDown()` stops the coordinator and joins its thread.
public final class InProcessCoordinator: @unchecked Sendable {
    // `stopped` is only touched under `lock`; everything else is immutable after init.
    public let coordinator: Coordinator
    private let finished = DispatchSemaphore(value: 0)
    private let cpuClock: clockid_t?
    private let lock = NSLock()
    private var stopped = false

    /// Opens the coordinator's state and starts serving. `onStop` hears the error `run()` ended with, if any.
    public init(config: CoordinatorConfig, logger: Logger, monitor: (any CoordinatorMonitor)? = nil,
                onStop: @escaping @Sendable (any Error) -> Void) throws {
        let coordinator = try Coordinator(config: config, logger: logger, monitor: monitor)
        self.coordinator = coordinator
        let clock = Mutex<clockid_t?>(nil)
        let started = DispatchSemaphore(value: 0)
        let finished = self.finished
        Thread {
            // This thread's CPU clock, so the coordinator's own CPU time can be read from outside.
            var id = clockid_t()
            clock.withLock { $0 = pthread_getcpuclockid(pthread_self(), &id) == 0 ? id : nil }
            started.signal()
            do { try coordinator.run() } catch { onStop(error) }
            finished.signal()
        }.start()
        started.wait()
        cpuClock = clock.withLock { $0 }
    }

    deinit { shutDown() }

    /// CPU seconds the coordinator's thread has used (its ZeroMQ I/O thread is not included); nil
    /// where the platform gives no per-thread clock.
    public func cpuSeconds() -> Double? {
        guard let cpuClock else { return nil }
        var time = timespec()
        clock_gettime(cpuClock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Stops the coordinator and waits for its thread to return (idempotent).
    public func shutDown() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        coordinator.stop()
        finished.wait()
    }
}
