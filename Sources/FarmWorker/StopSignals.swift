import FarmCore
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT, received in one place: `blockInThisThread()` runs first thing in `main`,
/// before any thread exists, so every thread inherits the mask and no handler ever runs on a
/// random thread; one joinable thread (`farm-signals`) takes them with `sigwait` and reports each.
/// A signal sent before the waiter starts stays pending and is taken as soon as it does, so an
/// early SIGTERM is never lost.
public final class StopSignals: Sendable {
    public static let numbers: [Int32] = [SIGTERM, SIGINT]

    private let thread: JoinableThread
    private let stopping: Locked<Bool>

    /// Blocks SIGTERM and SIGINT in the calling thread and in every thread it starts from now on.
    public static func blockInThisThread() {
        var set = signalSet()
        let status = pthread_sigmask(SIG_BLOCK, &set, nil)
        precondition(status == 0, "pthread_sigmask: \(String(cString: strerror(status)))")
    }

    /// Starts the waiter; `received(n)` runs on it with n = 1 for the first signal, 2 for the next…
    /// Call `blockInThisThread()` before (a signal not blocked would take its default action).
    public init(received: @escaping @Sendable (Int) -> Void) {
        let stopping = Locked(false)
        self.stopping = stopping
        thread = JoinableThread(name: "farm-signals") {
            var set = Self.signalSet()
            var count = 0
            while true {
                var number: Int32 = 0
                guard sigwait(&set, &number) == 0 else { continue }
                if stopping.withLock({ $0 }) { return }
                count += 1
                received(count)
            }
        }
    }

    /// Ends the waiter and joins it.
    public func stop() {
        stopping.withLock { $0 = true }
        thread.send(signal: SIGTERM)
        thread.join()
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in numbers { sigaddset(&set, number) }
        return set
    }
}
