import FarmCore
import Foundation
import Testing
@testable import FarmCoordinator

struct SchedulerTests {
    @Test func eachIdleWorkerGetsOneClipInOrder() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        try farm.ready("b")
        let (job, effects) = try farm.submit(clips: 3)
        #expect(dispatches(effects) == ["a:\(job)/0#1", "b:\(job)/1#1"])
        #expect(farm.scheduler.pendingClips == [.c(job, 2)])
        #expect(try farm.job(job).state == .running)

        let (verdict, next) = try farm.succeed("a", .c(job, 0), attempt: 1)
        #expect(verdict == .accepted(path: "/logs/run/rl-video-step-0.mp4"))
        #expect(dispatches(next) == ["a:\(job)/2#1"])
    }

    @Test func jobCompletesWhenEveryClipIsDone() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 2)
        try farm.succeed("a", .c(job, 0), attempt: 1)
        let (_, effects) = try farm.succeed("a", .c(job, 1), attempt: 1)
        #expect(settled(effects) == [.completed])
        let record = try farm.job(job)
        #expect(record.state == .completed)
        #expect(record.finishedAt != nil)
        #expect(try farm.clip(.c(job, 1)).path == "/logs/run/rl-video-step-100.mp4")
        #expect(farm.scheduler.jobs[job] == nil, "finished jobs leave memory; the store keeps them")
        #expect(farm.scheduler.workers["a"]?.state.phase == .idle)
    }

    @Test func lostWorkersClipIsRequeuedWithoutUsingARetry() throws {
        // The real store, whose attempts table records how each attempt ended.
        let store = try CoordinatorStore.inMemory()
        let farm = try SchedulerFarm(store: store)
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        try farm.ready("b")  // idle, and kept alive below while "a" falls silent
        try farm.beat(["b"], seconds: 3)
        #expect(farm.scheduler.workers["a"]?.state.phase == .rendering, "3 s of silence is not yet lost")
        farm.clock.advance(by: 0.5)
        let effects = try farm.scheduler.tick(now: farm.clock.now())
        #expect(farm.scheduler.workers["a"]?.state.phase == .lost)
        #expect(effects.first == .workerLost("a", requeued: .c(job, 0)))
        #expect(effects.contains(.clipRequeued(.c(job, 0))), "the requeue is an event the metrics count")
        #expect(dispatches(effects) == ["b:\(job)/0#2"])
        let clip = try farm.clip(.c(job, 0))
        #expect(clip.failures == 0)
        #expect(clip.attempts == 2)
        let attempts = try store.attempts(of: .c(job, 0))
        #expect(attempts.map(\.outcome) == [.lost, .running])
        #expect(attempts.map(\.worker) == ["a", "b"])
    }

    @Test func failingClipIsRetriedOnOtherWorkersThenFails() throws {
        let farm = try SchedulerFarm(policy: SchedulerPolicy(maxRetries: 2, blocklistAfter: 10))
        try farm.ready("a")
        try farm.ready("b")
        let (job, first) = try farm.submit(clips: 1)
        #expect(dispatches(first) == ["a:\(job)/0#1"])

        // "a" is idle and first in line, yet the retry goes to "b".
        let (_, second) = try farm.fail("a", .c(job, 0), attempt: 1)
        #expect(dispatches(second) == ["b:\(job)/0#2"])
        #expect(second.contains(.clipRetried(.c(job, 0))), "the retry is an event the metrics count")

        // Only workers it failed on are left: one of them retries it rather than stall the job.
        let (_, third) = try farm.fail("b", .c(job, 0), attempt: 2, error: "GL context lost")
        #expect(dispatches(third) == ["a:\(job)/0#3"])

        let (_, last) = try farm.fail("a", .c(job, 0), attempt: 3, error: "GL context lost again")
        #expect(dispatches(last).isEmpty)
        #expect(!last.contains(.clipRetried(.c(job, 0))), "out of retries: no retry counted")
        #expect(settled(last) == [.failed])
        let clip = try farm.clip(.c(job, 0))
        #expect(clip.state == .failed)
        #expect(clip.failures == 3)
        #expect(clip.error == "GL context lost again")
        #expect(try farm.job(job).state == .failed)
    }

    @Test func nonRetryableFailureFailsTheClipAtOnce() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        try farm.ready("b")
        let (job, _) = try farm.submit(clips: 1)
        let (_, effects) = try farm.fail("a", .c(job, 0), attempt: 1, retryable: false, error: "bad rollout rows")
        #expect(dispatches(effects).isEmpty)
        #expect(try farm.clip(.c(job, 0)).state == .failed)
        #expect(settled(effects) == [.failed])
    }

    @Test func workerThatKeepsFailingAJobIsBlocklistedForThatJobOnly() throws {
        let farm = try SchedulerFarm(policy: SchedulerPolicy(maxRetries: 2, blocklistAfter: 2))
        try farm.ready("a")
        try farm.ready("b")
        let (job, _) = try farm.submit(clips: 4)           // a: 0, b: 1
        let (_, e1) = try farm.fail("a", .c(job, 0), attempt: 1)
        #expect(dispatches(e1) == ["a:\(job)/2#1"])           // not clip 0 again: b can take it
        let (_, e2) = try farm.fail("a", .c(job, 2), attempt: 1)
        #expect(farm.scheduler.isBlocklisted(worker: "a", job: job))
        #expect(dispatches(e2).isEmpty, "a gets nothing more of this job")

        var done = 0
        var next: (ClipKey, Int)? = (.c(job, 1), 1)
        while let (key, attempt) = next {
            let (_, effects) = try farm.succeed("b", key, attempt: attempt)
            done += 1
            next = effects.compactMap { effect -> (ClipKey, Int)? in
                if case let .dispatch(d) = effect { #expect(d.worker == "b"); return (d.clip.key, d.attempt) }
                return nil
            }.first
        }
        #expect(done == 4)
        #expect(try farm.job(job).state == .completed)

        let (other, effects) = try farm.submit(clips: 2)
        #expect(dispatches(effects) == ["a:\(other)/0#1", "b:\(other)/1#1"], "the blocklist is per job")
    }

    @Test func jobFailsWhenEveryLiveWorkerIsBlocklisted() throws {
        let farm = try SchedulerFarm(policy: SchedulerPolicy(maxRetries: 5, blocklistAfter: 2))
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 3)
        try farm.fail("a", .c(job, 0), attempt: 1)
        let (_, effects) = try farm.fail("a", .c(job, 0), attempt: 2, error: "driver error")
        #expect(settled(effects) == [.failed])
        let clip = try farm.clip(.c(job, 2))
        #expect(clip.state == .failed)
        #expect(clip.error?.contains("blocklisted") == true)
    }

    @Test func fencingDropsLateAndDuplicateResults() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        farm.clock.advance(by: 4)
        _ = try farm.scheduler.tick(now: farm.clock.now())   // "a" lost, clip back to pending
        let effects = try farm.ready("b")
        #expect(dispatches(effects) == ["b:\(job)/0#2"])

        let (late, _) = try farm.succeed("a", .c(job, 0), attempt: 1)
        guard case .dropped = late else { Issue.record("late result accepted: \(late)"); return }
        let (wrongWorker, _) = try farm.succeed("a", .c(job, 0), attempt: 2)
        guard case .dropped = wrongWorker else { Issue.record("result from the wrong worker accepted"); return }
        #expect(farm.filed.isEmpty, "nothing is written for a fenced result")

        #expect(try farm.succeed("b", .c(job, 0), attempt: 2).0 == .accepted(path: "/logs/run/rl-video-step-0.mp4"))
        let (duplicate, _) = try farm.succeed("b", .c(job, 0), attempt: 2)
        guard case .dropped = duplicate else { Issue.record("duplicate accepted"); return }
        let (lateFailure, _) = try farm.fail("b", .c(job, 0), attempt: 2)
        guard case .dropped = lateFailure else { Issue.record("failure after success accepted"); return }
        #expect(farm.filed == [.c(job, 0)], "accepted exactly once")
    }

    @Test func lostWorkerThatBeatsAgainIsToldToReconnect() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        farm.clock.advance(by: 5)
        _ = try farm.scheduler.tick(now: farm.clock.now())
        // Its clip waits in the queue, so the attempt it still renders is not cancelled
        // (RejoiningWorkerTests); an attempt it may not take up again would be.
        let effects = try farm.scheduler.heartbeat(worker: "a", holding: (.c(job, 0), 1), progress: nil,
                                                   rssBytes: nil, now: farm.clock.now())
        #expect(effects == [.disconnect(worker: "a")])
        #expect(try farm.scheduler.heartbeat(worker: "stranger", holding: nil, progress: nil, rssBytes: nil,
                                             now: farm.clock.now()) == nil)
        // It comes back with READY, and once a heartbeat says it holds nothing it gets the clip
        // again, as a new attempt.
        #expect(dispatches(try farm.ready("a")).isEmpty)
        let free = try #require(try farm.scheduler.heartbeat(worker: "a", holding: nil, progress: nil, rssBytes: nil,
                                                             now: farm.clock.now()))
        #expect(dispatches(free) == ["a:\(job)/0#2"])
    }

    @Test func cancelAbandonsDispatchedClipsAndWritesNothing() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 3)
        let effects = try #require(try farm.scheduler.cancel(job: job, now: farm.clock.now()))
        #expect(effects.contains(.cancel(worker: "a", clip: .c(job, 0), attempt: 1)))
        #expect(settled(effects) == [.cancelled])
        #expect(try farm.job(job).state == .cancelled)
        #expect(try farm.store.clips(of: job).map(\.state) == [.cancelled, .cancelled, .cancelled])
        let (verdict, _) = try farm.succeed("a", .c(job, 0), attempt: 1)
        guard case .dropped = verdict else { Issue.record("result of a cancelled clip accepted"); return }
        #expect(farm.filed.isEmpty)
        #expect(farm.scheduler.workers["a"]?.state.phase == .idle)
        #expect(try farm.scheduler.cancel(job: job, now: farm.clock.now()) == nil, "already finished")
    }

    @Test func workersOnlyGetJobsWhoseBackendTheyServe() throws {
        let farm = try SchedulerFarm()
        try farm.ready("kit-only", backends: ["kit"])
        let (job, effects) = try farm.submit(clips: 1, backend: .newtonGL)
        #expect(dispatches(effects).isEmpty)
        #expect(dispatches(try farm.ready("gl", backends: ["newton_gl", "kit"])) == ["gl:\(job)/0#1"])
    }

    @Test func departingWorkersClipIsRequeuedWithoutARetry() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        _ = try farm.scheduler.leave(worker: "a", now: farm.clock.now())
        #expect(farm.scheduler.workers["a"]?.state.phase == .gone)
        #expect(farm.scheduler.pendingClips == [.c(job, 0)])
        #expect(try farm.clip(.c(job, 0)).failures == 0)
    }

    @Test func filingFailureCountsAsAFailedAttempt() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        try farm.ready("b")
        let (job, _) = try farm.submit(clips: 1)
        let (verdict, effects) = try farm.scheduler.result(worker: "a", clip: .c(job, 0), attempt: 1,
                                                           now: farm.clock.now()) { _, _ in .failed(reason: "a bad name") }
        guard case .filingFailed = verdict else { Issue.record("expected filingFailed, got \(verdict)"); return }
        #expect(dispatches(effects) == ["b:\(job)/0#2"])
    }

    @Test func drainingWorkerFinishesItsClipAndGetsNoMore() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 2)
        _ = try farm.scheduler.heartbeat(worker: "a", holding: (.c(job, 0), 1), progress: nil, rssBytes: nil,
                                         draining: true, now: farm.clock.now())
        #expect(farm.scheduler.workers["a"]?.state.phase == .draining)
        let (verdict, effects) = try farm.succeed("a", .c(job, 0), attempt: 1)
        #expect(verdict == .accepted(path: "/logs/run/rl-video-step-0.mp4"))
        #expect(dispatches(effects).isEmpty)
        #expect(dispatches(try farm.ready("b")) == ["b:\(job)/1#1"])
    }

    @Test func clipWhoseTaskNeverArrivedIsTakenBackAfterTheTimeout() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        func idleBeat() throws -> [SchedulerEffect] {
            try #require(try farm.scheduler.heartbeat(worker: "a", holding: nil, progress: nil, rssBytes: nil,
                                                      now: farm.clock.now()))
        }
        #expect(try idleBeat().isEmpty, "a TASK may still be in flight")
        for _ in 1...3 {
            farm.clock.advance(by: 1)
            #expect(try idleBeat().isEmpty)
        }
        farm.clock.advance(by: 1)
        #expect(dispatches(try idleBeat()) == ["a:\(job)/0#2"])
        #expect(try farm.clip(.c(job, 0)).failures == 0)
    }

    @Test func workerToldToAbandonAClipGetsNoTaskUntilItReportsIdle() throws {
        let farm = try SchedulerFarm()
        try farm.ready("a")
        let (first, _) = try farm.submit(clips: 1)
        _ = try farm.scheduler.cancel(job: first, now: farm.clock.now())
        let (second, effects) = try farm.submit(clips: 1)
        #expect(dispatches(effects).isEmpty, "a is still tearing down the cancelled clip")
        let stillBusy = try farm.scheduler.heartbeat(worker: "a", holding: (.c(first, 0), 1), progress: nil,
                                                     rssBytes: nil, now: farm.clock.now())
        #expect(stillBusy == [.cancel(worker: "a", clip: .c(first, 0), attempt: 1)])
        let free = try #require(try farm.scheduler.heartbeat(worker: "a", holding: nil, progress: nil, rssBytes: nil,
                                                             now: farm.clock.now()))
        #expect(dispatches(free) == ["a:\(second)/0#1"])
    }

    @Test func jobsMayAskForTheirOwnRetryLimit() throws {
        let farm = try SchedulerFarm(policy: SchedulerPolicy(maxRetries: 2))
        try farm.ready("a")
        var spec = SchedulerFarm.spec()
        spec.maxRetries = 0
        let (job, records) = try farm.store.insertJob(spec: spec, clips: SchedulerFarm.plans(1), submittedAt: farm.clock.now(),
                                                      rolloutPath: { _ in "/spool/x" })
        _ = try farm.scheduler.adopt(job, clips: records, now: farm.clock.now())
        let (_, effects) = try farm.fail("a", .c(job.id, 0), attempt: 1)
        #expect(settled(effects) == [.failed])
    }
}
