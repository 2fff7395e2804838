import FarmCore
import FarmWire
import Foundation
import Synchronization

/// `farm-bench dispatch`'s last stage: the largest SUBMIT the limits allow (`maxClipsPerJob`
/// clips), timed from send to reply, while a second client asks STATUS in a loop. The slowest
/// STATUS answer is how long one request held the coordinator's loop; the target is under one
/// heartbeat interval, so no live worker can look silent while a big job is planned.
struct LargestSubmission {
    let clips: Int
    let submitSeconds: Double
    let statusSample: Sample
    let heartbeatInterval: Double

    static func measure(clips: Int = SubmissionLimits.standard.maxClipsPerJob) throws -> LargestSubmission {
        let farm = try BenchCoordinator()
        defer { farm.shutDown() }
        let request = try BenchCoordinator.submission(run: "largest", clips: clips)
        let stop = Mutex(false)
        let latencies = Mutex<[Double]>([])
        let failure = Mutex<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let endpoint = farm.coordinator.clientEndpoint
        let poller = Thread {
            defer { finished.signal() }
            do {
                let context = try ZMQContext()
                let client = try ZMQSocket(context: context, kind: .dealer)
                defer { client.close() }
                try client.connect(endpoint)
                while !stop.withLock({ $0 }) {
                    let start = Stopwatch.now()
                    _ = try BenchCoordinator.request(client, .status(StatusQuery(limit: 1)))
                    let seconds = Stopwatch.since(start)
                    latencies.withLock { $0.append(seconds) }
                }
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
        }
        poller.start()
        var joined = false
        func join() {
            guard !joined else { return }
            stop.withLock { $0 = true }
            finished.wait()
            joined = true
        }
        // Joined before the coordinator shuts down (defers run last-first), even when SUBMIT throws.
        defer { join() }
        let context = try ZMQContext()
        let client = try farm.client(context: context)
        defer { client.close() }
        let start = Stopwatch.now()
        _ = try BenchCoordinator.checked(try BenchCoordinator.request(client, request), clips: clips)
        let submitSeconds = Stopwatch.since(start)
        join()
        if let message = failure.withLock({ $0 }) { throw DispatchBench.Failure("STATUS poller: \(message)") }
        return LargestSubmission(clips: clips, submitSeconds: submitSeconds, statusSample: Sample(latencies.withLock { $0 }),
                                 heartbeatInterval: farm.coordinator.config.policy.liveness.interval)
    }
}
