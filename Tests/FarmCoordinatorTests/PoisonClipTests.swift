import FarmCore
import Foundation
import Testing
@testable import FarmCoordinator

/// A clip that takes down every worker it is sent to is failed as poison after
/// `poisonAfterLostWorkers` lost workers, instead of being requeued forever (issue 19, finding 2).
struct PoisonClipTests {
    /// (limit, workers lost so far including this one) → what the clip does next.
    static let rule: [(Int, Int, ClipState.Event)] = [
        (2, 1, .requeue), (2, 2, .poison), (2, 3, .poison),
        (1, 1, .poison),
        (3, 1, .requeue), (3, 2, .requeue), (3, 3, .poison),
    ]

    @Test(arguments: rule)
    func lostWorkerRule(limit: Int, lost: Int, expected: ClipState.Event) throws {
        let policy = SchedulerPolicy(poisonAfterLostWorkers: limit)
        #expect(policy.afterLostWorker(lostWorkers: lost) == expected)
        #expect(try ClipState.dispatched.applying(expected) == (expected == .poison ? .failed : .queued))
    }

    /// Lets `worker` fall silent while every other live worker keeps beating, until it is lost.
    /// `confirm`: the worker first beats once holding its clip (it took the clip up).
    static func loseSilently(_ worker: WorkerID, keeping others: [WorkerID], farm: SchedulerFarm,
                             confirm: Bool = true) throws -> [SchedulerEffect] {
        var effects: [SchedulerEffect] = []
        if confirm, let held = farm.scheduler.workers[worker], let clip = held.clip {
            // A second after the others' last beats: a worker's heartbeats come an interval apart, and
            // two at one instant would read as a stalled link (`SilenceRule`).
            farm.clock.advance(by: 1)
            effects += try farm.scheduler.heartbeat(worker: worker, holding: (clip, held.attempt ?? 0), progress: nil,
                                                    rssBytes: nil, now: farm.clock.now()) ?? []
        }
        for _ in 0..<5 {
            farm.clock.advance(by: 1)
            for id in others {
                let holding = farm.scheduler.workers[id].flatMap { w in w.clip.map { ($0, w.attempt ?? 0) } }
                effects += try farm.scheduler.heartbeat(worker: id, holding: holding, progress: nil, rssBytes: nil,
                                                        now: farm.clock.now()) ?? []
            }
            effects += try farm.scheduler.tick(now: farm.clock.now())
            if farm.scheduler.workers[worker]?.state.phase == .lost { return effects }
        }
        Issue.record("\(worker) was never declared lost")
        return effects
    }

    @Test func clipThatKillsTwoWorkersFailsAsPoisonAndTheFarmServesOtherJobs() throws {
        let store = try CoordinatorStore.inMemory()
        let farm = try SchedulerFarm(store: store)
        try farm.ready("a")
        let (poison, first) = try farm.submit(clips: 1)
        #expect(dispatches(first) == ["a:\(poison)/0#1"])
        try farm.ready("b")
        try farm.ready("c")

        let afterA = try Self.loseSilently("a", keeping: ["b", "c"], farm: farm)
        #expect(dispatches(afterA) == ["b:\(poison)/0#2"], "the first lost worker only requeues it")
        #expect(try farm.clip(.c(poison, 0)).lostWorkers == 1)

        let afterB = try Self.loseSilently("b", keeping: ["c"], farm: farm)
        #expect(dispatches(afterB).isEmpty, "the second lost worker makes it poison: no third worker gets it")
        #expect(afterB.contains(.clipPoisoned(.c(poison, 0), reason: SchedulerPolicy().poisonReason(lostWorkers: 2))))
        #expect(settled(afterB) == [.failed])
        let clip = try farm.clip(.c(poison, 0))
        #expect(clip.state == .failed)
        #expect(clip.failures == 0, "no retry was spent: the workers were lost, the clip did not fail")
        #expect(clip.error?.hasPrefix("poison clip: 2 workers were lost while rendering it") == true)
        #expect(try store.attempts(of: .c(poison, 0)).map(\.outcome) == [.lost, .lost])

        // The farm keeps serving: the next job goes to the surviving worker.
        let (next, effects) = try farm.submit(clips: 1)
        #expect(dispatches(effects) == ["c:\(next)/0#1"])

        // `farmctl retry` still forces it, with its count of lost workers reset.
        let retried = try #require(try farm.scheduler.retry(job: poison, now: farm.clock.now()))
        #expect(retried.isEmpty || dispatches(retried).isEmpty, "c is busy with the other job")
        #expect(try farm.clip(.c(poison, 0)).state == .queued)
        #expect(try farm.clip(.c(poison, 0)).lostWorkers == 0)
    }

    /// A worker lost before any heartbeat showed it rendering the clip (it left as the TASK went
    /// out) cannot have been taken down by it.
    @Test func aWorkerLostBeforeTakingTheClipUpDoesNotCount() throws {
        let farm = try SchedulerFarm(policy: SchedulerPolicy(poisonAfterLostWorkers: 1))
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        try farm.ready("b")
        let effects = try Self.loseSilently("a", keeping: ["b"], farm: farm, confirm: false)
        #expect(dispatches(effects) == ["b:\(job)/0#2"])
        #expect(try farm.clip(.c(job, 0)).lostWorkers == 0)
    }

    @Test func aGoodbyeDoesNotCountTowardsPoison() throws {
        let farm = try SchedulerFarm(policy: SchedulerPolicy(poisonAfterLostWorkers: 1))
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        try farm.ready("b")
        let effects = try farm.scheduler.leave(worker: "a", now: farm.clock.now())
        #expect(dispatches(effects) == ["b:\(job)/0#2"])
        #expect(try farm.clip(.c(job, 0)).lostWorkers == 0)
    }

    @Test func lostWorkersSurviveARestart() throws {
        let store = try CoordinatorStore.inMemory()
        let farm = try SchedulerFarm(store: store)
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        try farm.ready("b")
        _ = try Self.loseSilently("a", keeping: ["b"], farm: farm)
        let restored = try Scheduler(store: store, now: farm.clock.now())
        #expect(restored.clips[.c(job, 0)]?.lostWorkers == 1)
    }
}
