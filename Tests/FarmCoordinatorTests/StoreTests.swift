import FarmCore
import Foundation
import GRDB
import Testing
@testable import FarmCoordinator

struct StoreTests {
    @Test func storeOnDiskIsWALAndSurvivesReopen() throws {
        let dir = try TemporaryDirectory()
        let spec = SchedulerFarm.spec(run: "2026-01-01_00-00-00")
        do {
            let store = try CoordinatorStore.open(stateDirectory: dir.path)
            #expect(try store.journalMode() == "wal")
            let (job, clips) = try store.insertJob(spec: spec, clips: SchedulerFarm.plans(2), submittedAt: 10,
                                                   rolloutPath: { "\(dir.path)/spool/job-\($0).rollout" })
            var clip = clips[0]
            clip.state = .dispatched
            clip.attempts = 1
            clip.worker = "w"
            clip.failedOn = ["x"]
            try store.batch("test") { batch in
                try batch.update(clip)
                try batch.save(AttemptRecord(clip: clip.key, attempt: 1, worker: "w", startedAt: 11))
                try batch.save(TrackedWorker(id: "w", info: WorkerInfo(host: "h", pid: 7, device: "egl:0"),
                                            state: .rendering(Assignment(clip: clip.key, attempt: 1)), lastHeard: 11))
            }
            #expect(job.rolloutPath.hasSuffix("job-\(job.id).rollout"))
        }
        let store = try CoordinatorStore.open(stateDirectory: dir.path)
        let job = try #require(try store.jobs().first)
        #expect(job.spec == spec)
        #expect(job.state == .queued)
        let clips = try store.clips(of: job.id)
        #expect(clips.map(\.state) == [.dispatched, .queued])
        #expect(clips[0].failedOn == ["x"])
        #expect(clips[0].plan == SchedulerFarm.plans(2)[0])
        #expect(try store.attempts(of: clips[0].key).map(\.worker) == ["w"])
        #expect(try store.workers().first?.info.device == "egl:0")
    }

    /// Builds before migration v5 stored a waiting clip as `pending`; the wire always said `queued`.
    /// One enum now: such rows are migrated, not mapped on every read.
    /// A settled job's counts come from SQLite's sums, as they would from reading every clip.
    @Test func aJobsTallyInTheStoreIsTheTallyOfItsClips() throws {
        let store = try CoordinatorStore.inMemory()
        let (job, clips) = try store.insertJob(spec: SchedulerFarm.spec(run: "tally"), clips: SchedulerFarm.plans(6), submittedAt: 1,
                                               rolloutPath: { "/spool/job-\($0).rollout" })
        let states: [ClipState] = [.done, .failed, .done, .cancelled, .failed, .queued]
        try store.batch("test") { batch in
            for (clip, state) in zip(clips, states) {
                var changed = clip
                changed.state = state
                try batch.update(changed)
            }
        }
        let tally = try store.tally(of: job.id)
        #expect(tally == ClipTally(try store.clips(of: job.id)))
        #expect(tally.failed == [1, 4] && tally.count(.done) == 2 && tally.total == 6)
        #expect(try store.tally(of: job.id + 1) == ClipTally())
    }

    @Test func clipsStoredAsPendingByOlderBuildsOpenAsQueued() throws {
        let dir = try TemporaryDirectory()
        do {
            let store = try CoordinatorStore.open(stateDirectory: dir.path)
            _ = try store.insertJob(spec: SchedulerFarm.spec(run: "old"), clips: SchedulerFarm.plans(2), submittedAt: 10,
                                    rolloutPath: { "\(dir.path)/spool/job-\($0).rollout" })
        }
        let database = try DatabaseQueue(path: dir.appending("farm.sqlite"))
        try database.write { db in
            try db.execute(sql: "UPDATE clips SET state = 'pending'")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v5:%'")
        }
        try database.close()
        let store = try CoordinatorStore.open(stateDirectory: dir.path)
        let job = try #require(try store.jobs().first)
        #expect(try store.clips(of: job.id).map(\.state) == [.queued, .queued])
    }

    @Test func restartedSchedulerResumesWithReturningWorker() throws {
        let dir = try TemporaryDirectory()
        let first = try SchedulerFarm(store: CoordinatorStore.open(stateDirectory: dir.path))
        try first.ready("a")
        let (job, _) = try first.submit(clips: 2)
        try first.succeed("a", .c(job, 0), attempt: 1)   // a now holds clip 1, attempt 1

        // The coordinator dies; a new one opens the same state directory.
        let second = try SchedulerFarm(store: CoordinatorStore.open(stateDirectory: dir.path))
        #expect(second.scheduler.workers["a"]?.state.phase == .connecting)
        #expect(try second.ready("a").isEmpty, "READY alone does not take its clip away")
        let effects = try second.scheduler.heartbeat(worker: "a", holding: (.c(job, 1), 1), progress: nil,
                                                     rssBytes: nil, now: second.clock.now())
        #expect(effects == [], "its dispatch is still current: it keeps rendering")
        #expect(second.scheduler.workers["a"]?.state.phase == .rendering)
        let (verdict, done) = try second.succeed("a", .c(job, 1), attempt: 1)
        #expect(verdict == .accepted(path: "/logs/run/rl-video-step-100.mp4"))
        #expect(settled(done) == [.completed])
    }

    @Test func restartedSchedulerRequeuesClipsOfWorkersThatDoNotReturn() throws {
        let dir = try TemporaryDirectory()
        let first = try SchedulerFarm(store: CoordinatorStore.open(stateDirectory: dir.path))
        try first.ready("a")
        let (job, _) = try first.submit(clips: 1)

        let second = try SchedulerFarm(store: CoordinatorStore.open(stateDirectory: dir.path))
        try second.ready("b")
        try second.beat(["b"], seconds: 4)
        #expect(second.scheduler.workers["a"]?.state.phase == .lost)
        #expect(second.scheduler.workers["b"]?.clip == .c(job, 0))
        let clip = try second.clip(.c(job, 0))
        #expect(clip.attempts == 2)
        #expect(clip.failures == 0)
    }

    @Test func returningWorkerWithoutItsClipGivesItBack() throws {
        let dir = try TemporaryDirectory()
        let first = try SchedulerFarm(store: CoordinatorStore.open(stateDirectory: dir.path))
        try first.ready("a")
        let (job, _) = try first.submit(clips: 1)

        let second = try SchedulerFarm(store: CoordinatorStore.open(stateDirectory: dir.path))
        // "a" lost its work meanwhile: its heartbeat holds nothing, so the clip is requeued and comes back.
        #expect(try second.ready("a").isEmpty)
        let effects = try #require(try second.scheduler.heartbeat(worker: "a", holding: nil, progress: nil, rssBytes: nil,
                                                                  now: second.clock.now()))
        #expect(dispatches(effects) == ["a:\(job)/0#2"])
        #expect(try second.clip(.c(job, 0)).failures == 0)
    }

    @Test func blocklistSurvivesRestart() throws {
        let dir = try TemporaryDirectory()
        let policy = SchedulerPolicy(maxRetries: 5, blocklistAfter: 2)
        let first = try SchedulerFarm(policy: policy, store: CoordinatorStore.open(stateDirectory: dir.path))
        try first.ready("a")
        try first.ready("b")
        let (job, _) = try first.submit(clips: 4)
        try first.fail("a", .c(job, 0), attempt: 1)
        try first.fail("a", .c(job, 2), attempt: 1)

        let second = try SchedulerFarm(policy: policy, store: CoordinatorStore.open(stateDirectory: dir.path))
        #expect(second.scheduler.isBlocklisted(worker: "a", job: job))
    }

    @Test func aDispatchedClipWithNoWorkerIsRequeuedOnRestoreAndReported() throws {
        let store = try CoordinatorStore.inMemory()
        let (job, clips) = try store.insertJob(spec: SchedulerFarm.spec(), clips: SchedulerFarm.plans(2), submittedAt: 10,
                                               rolloutPath: { "/spool/job-\($0).rollout" })
        var broken = clips[0]
        broken.state = .dispatched
        broken.attempts = 1
        broken.worker = nil
        try store.commit(SchedulerChanges(clips: [broken]), "corrupt a dispatch")

        let farm = try SchedulerFarm(store: store)
        #expect(farm.scheduler.restoreProblems.count == 1)
        #expect(farm.scheduler.restoreProblems.first?.contains("clip \(broken.key)") == true)
        #expect(farm.scheduler.pendingClips == [.c(job.id, 0), .c(job.id, 1)])
        #expect(try farm.clip(.c(job.id, 0)).state == .queued, "the repair is written back")

        #expect(dispatches(try farm.ready("a")) == ["a:\(ClipKey.c(job.id, 0))#2"])
        try farm.succeed("a", .c(job.id, 0), attempt: 2)
        let (_, last) = try farm.succeed("a", .c(job.id, 1), attempt: 1)
        #expect(settled(last) == [.completed], "the job settles instead of waiting forever")
    }
}
