import FarmCore
import Testing
@testable import FarmCoordinator

/// A clip the coordinator cannot file is held, not charged to the worker; a failed job can be retried.
struct SchedulerHoldTests {
    private func hold(_ farm: SchedulerFarm, _ worker: WorkerID, _ clip: ClipKey, attempt: Int) throws -> (ReportVerdict, [SchedulerEffect]) {
        try farm.scheduler.result(worker: worker, clip: clip, attempt: attempt, now: farm.clock.now()) { _, _ in
            .held(reason: "filing paused: cannot write /logs/x: No space left on device")
        }
    }

    @Test func aHeldClipFreesTheWorkerUsesNoRetryAndKeepsTheJobOpen() throws {
        let farm = try SchedulerFarm(policy: SchedulerPolicy(maxRetries: 0, blocklistAfter: 1))
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 2)
        let (verdict, next) = try hold(farm, "a", .c(job, 0), attempt: 1)
        #expect(verdict == .held(reason: "filing paused: cannot write /logs/x: No space left on device"))
        #expect(dispatches(next) == ["a:\(job)/1#1"], "the worker is free and not blocklisted")
        let held = try farm.clip(.c(job, 0))
        #expect(held.state == .held && held.failures == 0 && held.failedOn.isEmpty)
        #expect(!farm.scheduler.isBlocklisted(worker: "a", job: job))
        #expect(farm.scheduler.heldClips.map(\.key) == [.c(job, 0)])

        let (_, last) = try farm.succeed("a", .c(job, 1), attempt: 1)
        #expect(settled(last).isEmpty, "a job with a held clip is not finished")
        #expect(try farm.job(job).state == .running)
        let filed = try farm.scheduler.fileHeld(.c(job, 0), .filed(path: "/logs/run/rl-video-step-0.mp4"), now: farm.clock.now())
        #expect(settled(filed) == [.completed])
        #expect(try farm.clip(.c(job, 0)).path == "/logs/run/rl-video-step-0.mp4")
        #expect(farm.scheduler.heldClips.isEmpty)
    }

    @Test func heldClipsSurviveARestart() throws {
        let store = try CoordinatorStore.inMemory()
        let farm = try SchedulerFarm(store: store)
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        _ = try hold(farm, "a", .c(job, 0), attempt: 1)
        let restarted = try Scheduler(store: store, now: farm.clock.now())
        #expect(restarted.heldClips.map(\.key) == [.c(job, 0)])
        #expect(settled(try restarted.fileHeld(.c(job, 0), .filed(path: "/p"), now: farm.clock.now())) == [.completed])
    }

    @Test func cancellingAJobDropsItsHeldClips() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        _ = try hold(farm, "a", .c(job, 0), attempt: 1)
        _ = try farm.scheduler.cancel(job: job, now: farm.clock.now())
        #expect(try farm.clip(.c(job, 0)).state == .cancelled)
        #expect(farm.scheduler.heldClips.isEmpty)
    }

    @Test func retryRequeuesOnlyTheFailedClipsOfAFailedJob() throws {
        let farm = try SchedulerFarm(policy: SchedulerPolicy(maxRetries: 0, blocklistAfter: 5))
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 2)
        try farm.fail("a", .c(job, 0), attempt: 1)
        let (_, effects) = try farm.succeed("a", .c(job, 1), attempt: 1)
        #expect(settled(effects) == [.failed])
        #expect(try farm.scheduler.retry(job: 999, now: farm.clock.now()) == nil)

        let retried = try #require(try farm.scheduler.retry(job: job, now: farm.clock.now()))
        #expect(dispatches(retried) == ["a:\(job)/0#2"])
        #expect(try farm.job(job).state == .running)
        #expect(try farm.clip(.c(job, 1)).state == .done, "done clips stay done")
        #expect(try farm.scheduler.retry(job: job, now: farm.clock.now()) == nil, "only a failed job is retried")
        let (_, finished) = try farm.succeed("a", .c(job, 0), attempt: 2)
        #expect(settled(finished) == [.completed])
    }
}
