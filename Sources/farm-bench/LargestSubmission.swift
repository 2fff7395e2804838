import FarmCoordinator
import FarmCore
import FarmWire
import Foundation
import Synchronization

/// `farm-bench dispatch`'s last stage: the largest SUBMIT the limits allow (`maxClipsPerJob`
/// clips), timed from send to reply, while a second client asks STATUS in a loop; then the same
/// SUBMIT again `refusedSubmits` times, each refused by the queue limit (set to hold one such job),
/// as a client that loops huge SUBMITs would be. The slowest STATUS answer is how long one request
/// held the coordinator's loop; the target is under one heartbeat interval, so no live worker can
/// look silent while a big job is planned.
struct LargestSubmission {
    let clips: Int
    let submitSeconds: Double
    let statusSample: Sample
    let refusedSubmits: Int
    let refusedSubmitSample: Sample
    let refusedStatusSample: Sample
    let heartbeatInterval: Double

    static func measure(clips: Int = SubmissionLimits.standard.maxClipsPerJob, refusedSubmits: Int = 5) throws -> LargestSubmission {
        let farm = try BenchCoordinator(queueLimits: QueueLimits(maxOpenClips: clips + clips / 2))
        defer { farm.shutDown() }
        let request = try BenchCoordinator.submission(run: "largest", clips: clips)
        let stop = Mutex(false)
        /// STATUS latencies by phase: 0 while the accepted SUBMIT is served, 1 while the refused ones are.
        let phase = Mutex(0)
        let latencies = Mutex<[[Double]]>([[], []])
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
                    let during = phase.withLock { $0 }
                    let start = Stopwatch.now()
                    _ = try BenchCoordinator.request(client, .status(StatusQuery(limit: 1)))
                    let seconds = Stopwatch.since(start)
                    latencies.withLock { $0[during].append(seconds) }
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
        phase.withLock { $0 = 1 }
        var refusedSeconds: [Double] = []
        for _ in 0..<refusedSubmits {
            let start = Stopwatch.now()
            try client.send(request.frames, wait: true)
            guard let frames = try client.receive(timeout: .seconds(10)) else {
                throw DispatchBench.Failure("the coordinator did not answer a SUBMIT over the queue limit within 10 s")
            }
            guard case .error(let error) = try ClientReply.parse(frames), error.code == .queueFull else {
                throw DispatchBench.Failure("a SUBMIT over the queue limit was not refused with queue_full")
            }
            refusedSeconds.append(Stopwatch.since(start))
        }
        join()
        if let message = failure.withLock({ $0 }) { throw DispatchBench.Failure("STATUS poller: \(message)") }
        let samples = latencies.withLock { $0 }
        return LargestSubmission(clips: clips, submitSeconds: submitSeconds, statusSample: Sample(samples[0]),
                                 refusedSubmits: refusedSubmits, refusedSubmitSample: Sample(refusedSeconds),
                                 refusedStatusSample: Sample(samples[1]),
                                 heartbeatInterval: farm.coordinator.config.policy.liveness.interval)
    }
}
