import FarmCore
import Foundation
import Testing
@testable import FarmCoordinator

/// Issue 19, network: a worker lost to a partition that reconnects while still rendering is not
/// treated as idle (no TASK until a heartbeat says what it holds), and takes its attempt up again
/// when no other worker has the clip, instead of having it cancelled.
struct RejoiningWorkerTests {
    /// Lets `worker` fall silent (others beating) until it is lost.
    static func partition(_ worker: WorkerID, keeping others: [WorkerID], farm: SchedulerFarm) throws -> [SchedulerEffect] {
        try PoisonClipTests.loseSilently(worker, keeping: others, farm: farm)
    }

    static func heartbeat(_ farm: SchedulerFarm, _ id: WorkerID, holding: (ClipKey, Int)?) throws -> [SchedulerEffect] {
        try #require(try farm.scheduler.heartbeat(worker: id, holding: holding, progress: nil, rssBytes: nil,
                                                  now: farm.clock.now()))
    }

    @Test func aRejoiningWorkerStillRenderingKeepsItsAttempt() throws {
        let store = try CoordinatorStore.inMemory()
        let farm = try SchedulerFarm(store: store)
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 2)
        _ = try Self.partition("a", keeping: [], farm: farm)
        #expect(try farm.clip(.c(job, 0)).state == .queued)

        // Back: READY says nothing about what it renders, so nothing is sent yet.
        let ready = try farm.ready("a")
        #expect(dispatches(ready).isEmpty, "a TASK to a worker that may be busy")
        // Its heartbeat says it still renders attempt 1: it takes the clip up again, nothing cancelled.
        let beat = try Self.heartbeat(farm, "a", holding: (.c(job, 0), 1))
        #expect(!beat.contains { if case .cancel = $0 { true } else { false } }, "\(beat)")
        #expect(dispatches(beat).isEmpty)
        let clip = try farm.clip(.c(job, 0))
        #expect(clip.state == .dispatched && clip.attempts == 1 && clip.worker == "a")
        #expect(clip.lostWorkers == 0, "a partition that healed does not count towards poison")
        #expect(farm.scheduler.workers["a"]?.state == .rendering(Assignment(clip: .c(job, 0), attempt: 1)))

        let (verdict, next) = try farm.succeed("a", .c(job, 0), attempt: 1)
        #expect(verdict == .accepted(path: "/logs/run/rl-video-step-0.mp4"))
        #expect(dispatches(next) == ["a:\(job)/1#1"])
        #expect(try store.attempts(of: .c(job, 0)).map(\.outcome) == [.done])
    }

    @Test func aRejoiningWorkerWhoseClipWentElsewhereIsToldToDropItThenGetsWork() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        try farm.ready("b")
        let lost = try Self.partition("a", keeping: ["b"], farm: farm)
        #expect(dispatches(lost) == ["b:\(job)/0#2"])

        let (next, queued) = try farm.submit(clips: 1)
        #expect(dispatches(queued).isEmpty, "a is lost, b is busy")
        #expect(dispatches(try farm.ready("a")).isEmpty, "a TASK to a worker that may be busy")
        let stale = try Self.heartbeat(farm, "a", holding: (.c(job, 0), 1))
        #expect(stale.contains(.cancel(worker: "a", clip: .c(job, 0), attempt: 1)))
        #expect(dispatches(stale).isEmpty, "still busy with the cancelled attempt")
        let free = try Self.heartbeat(farm, "a", holding: nil)
        #expect(dispatches(free) == ["a:\(next)/0#1"])
    }

    @Test func aLostWorkersHeartbeatDoesNotCancelAnAttemptItMayTakeUpAgain() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        _ = try Self.partition("a", keeping: [], farm: farm)
        let beat = try Self.heartbeat(farm, "a", holding: (.c(job, 0), 1))
        #expect(beat == [.disconnect(worker: "a")], "told to READY again, its render kept")
    }
}
