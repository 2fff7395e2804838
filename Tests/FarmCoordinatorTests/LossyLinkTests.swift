import FarmCore
import Testing
@testable import FarmCoordinator

/// Issue 19: a worker whose heartbeats have shown TCP's retransmission stalls keeps its clip through
/// a longer stall; one on a clean link is still lost after 3 silent beats.
struct LossyLinkTests {
    /// Heartbeats that arrive after these gaps (seconds), the worker rendering what it was sent.
    private func beats(_ farm: SchedulerFarm, _ worker: WorkerID, gaps: [Double]) throws {
        for gap in gaps {
            farm.clock.advance(by: gap)
            let holding = farm.scheduler.workers[worker].flatMap { w in w.clip.map { ($0, w.attempt ?? 0) } }
            _ = try farm.scheduler.heartbeat(worker: worker, holding: holding, progress: nil, rssBytes: nil,
                                             now: farm.clock.now())
            _ = try farm.scheduler.tick(now: farm.clock.now())
        }
    }

    /// Silence of `seconds`, judged every tenth of a second; the time it was declared lost, if it was.
    private func silence(_ farm: SchedulerFarm, _ worker: WorkerID, seconds: Double) throws -> Double? {
        for tenth in 1...Int(seconds * 10) {
            farm.clock.advance(by: 0.1)
            _ = try farm.scheduler.tick(now: farm.clock.now())
            if farm.scheduler.workers[worker]?.state.phase == .lost { return Double(tenth) / 10 }
        }
        return nil
    }

    @Test(arguments: [
        (name: "clean link", gaps: [Double](repeating: 1, count: 16), stall: 6.0, lostAfter: 3.1 as Double?),
        (name: "lossy link", gaps: [1, 2.1, 0, 1, 0.9, 3.2, 0, 0, 1.1, 1, 2, 0, 1, 0.9, 1.1, 1], stall: 6.0, lostAfter: nil),
        (name: "lossy link, a 15 s stall", gaps: [1, 2.1, 0, 1, 0.9, 3.2, 0, 0, 1.1, 1, 2, 0, 1, 0.9, 1.1, 1],
         stall: 15.0, lostAfter: nil),
        (name: "lossy link, then a partition: lost at the cap", gaps: [1, 2.1, 0, 1, 0.9, 3.2, 0, 0, 1.1, 1, 2, 0, 1, 0.9,
                                                                       1.1, 1], stall: 25.0, lostAfter: 20.1),
    ])
    func stall(name: String, gaps: [Double], stall: Double, lostAfter: Double?) throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        try beats(farm, "a", gaps: gaps)
        let lost = try silence(farm, "a", seconds: stall)
        #expect(lost == lostAfter, "\(name)")
        #expect(farm.scheduler.workers["a"]?.clip == (lostAfter == nil ? .c(job, 0) : nil), "\(name)")
    }

    @Test func aHealedPartitionDoesNotSlowTheNextDetection() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        try beats(farm, "a", gaps: [Double](repeating: 1, count: 16))
        #expect(try silence(farm, "a", seconds: 12) == 3.1)
        _ = try farm.ready("a")
        #expect(farm.scheduler.allowedSilence(of: "a") == 3, "the 12 s gap got the worker lost: it is not learned")
        try beats(farm, "a", gaps: [1, 1, 1])
        #expect(try silence(farm, "a", seconds: 6) == 3.1)
    }
}
