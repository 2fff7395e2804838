import FarmCore
import FarmWire
import Foundation
import Synchronization

/// Takes SUBMITs' rollouts in off the coordinator's loop. Writing a rollout to the spool, reading
/// its header (a camera track has a view per step) and checking every body pose cost time in
/// proportion to the rollout, and the loop must answer everyone else within a heartbeat meanwhile.
/// One thread does them in order (`RolloutSpool.take`); each result waits for the loop, which is
/// woken through `wake` and collects them with `collect()`. The thread runs from `start()` and is
/// joined by `stop()`.
final class SubmissionIntake: Sendable {
    struct Done: Sendable {
        let ticket: Int
        let result: Result<RolloutFile, SubmissionError>
    }

    private struct Queue {
        var orders: [(ticket: Int, intake: RolloutSpool.Intake)] = []
        var done: [Done] = []
        var stopping = false
        /// Inline rollout bytes queued or in hand, held in memory until written.
        var inlineBytes = 0
    }

    /// Inline rollout bytes that may wait in memory for the intake at once (2 GiB): a burst of large
    /// inline SUBMITs is refused (`queue_full`) past this instead of growing the coordinator's memory.
    let maxInlineBytes: Int
    /// SUBMITs that may wait for the intake at once.
    let maxOrders: Int

    private let queue = Mutex(Queue())
    /// One signal per order, and one to stop.
    private let work = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let wake: WakePipe
    private let running = Mutex(false)

    /// `wake`: signalled whenever a result is ready.
    init(wake: WakePipe, maxInlineBytes: Int = 2 << 30, maxOrders: Int = 1024) {
        self.wake = wake
        self.maxInlineBytes = maxInlineBytes
        self.maxOrders = maxOrders
    }

    /// Starts the thread (the loop does, when it starts serving); `stop()` joins it.
    func start() {
        guard running.withLock({ was in defer { was = true }; return !was }) else { return }
        let thread = Thread { [self] in
            defer { finished.signal() }
            while true {
                work.wait()
                guard let order = queue.withLock({ queue -> (ticket: Int, intake: RolloutSpool.Intake)? in
                    queue.stopping || queue.orders.isEmpty ? nil : queue.orders.removeFirst()
                }) else {
                    if queue.withLock({ $0.stopping }) { return }
                    continue
                }
                let result = RolloutSpool.take(order.intake)
                queue.withLock {
                    $0.done.append(Done(ticket: order.ticket, result: result))
                    $0.inlineBytes -= order.intake.inlineBytes
                }
                wake.signal()
            }
        }
        thread.name = "farm.intake"
        thread.start()
    }

    /// Why a SUBMIT with `inlineBytes` of rollout cannot wait for the intake now (nil when it can).
    func refusal(inlineBytes: Int) -> String? {
        queue.withLock { queue in
            if queue.orders.count >= maxOrders {
                return "the coordinator is taking in \(queue.orders.count) rollouts, the most it queues; submit again shortly"
            }
            guard inlineBytes > 0, queue.inlineBytes + inlineBytes > maxInlineBytes else { return nil }
            return "the coordinator holds \(queue.inlineBytes) bytes of inline rollouts waiting to be taken in and this one "
                + "is \(inlineBytes); submit again shortly, or upload it (UPLOAD_BEGIN/UPLOAD_CHUNK) instead"
        }
    }

    /// Queues `intake`; its result comes back from `collect()` under `ticket`.
    func take(_ intake: RolloutSpool.Intake, ticket: Int) {
        queue.withLock {
            $0.orders.append((ticket, intake))
            $0.inlineBytes += intake.inlineBytes
        }
        work.signal()
    }

    /// The results ready now, in the order their rollouts were taken.
    func collect() -> [Done] {
        queue.withLock { queue in
            defer { queue.done.removeAll() }
            return queue.done
        }
    }

    /// Stops the thread after the rollout in hand and waits for it; orders not yet started are
    /// dropped (their files are orphans the next start removes). Idempotent.
    func stop() {
        guard running.withLock({ was in defer { was = false }; return was }) else { return }
        queue.withLock { $0.stopping = true }
        work.signal()
        finished.wait()
    }
}
