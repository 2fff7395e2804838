import FarmCore
import FarmWire
import Foundation
import GRDB
import Testing
@testable import FarmCoordinator

/// Issue 19, finding 6: a SUBMIT's rollout is written, parsed and checked off the loop
/// (`SubmissionIntake`), and the SUBMIT is answered once it is in. What a client sends meanwhile
/// is answered after it, in order; the same SUBMIT sent again meanwhile gets the same job.
@Suite(.serialized) struct SubmissionIntakeTests {
    @Test func requestsSentBehindASubmitAreAnsweredAfterItInOrder() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        try client.send(try LiveFarm.submit(run: "first").frames)
        try client.send(ClientRequest.status(StatusQuery()).frames)
        try client.send(try LiveFarm.submit(run: "second").frames)
        try client.send(ClientRequest.status(StatusQuery()).frames)
        var replies: [OkReply] = []
        for _ in 0..<4 {
            let frames = try #require(try client.receive(timeout: .seconds(20)), "a reply is missing")
            guard case .ok(let body) = try ClientReply.parse(frames) else { Issue.record("refused"); return }
            replies.append(body)
        }
        #expect(replies[0].job?.run == "first")
        #expect(replies[1].jobs?.map(\.run) == ["first"], "STATUS sent after the first SUBMIT sees its job")
        #expect(replies[2].job?.run == "second")
        #expect(replies[3].jobs?.map(\.run) == ["first", "second"])
    }

    @Test func theSameSubmitSentAgainWhileItIsTakenInGetsTheSameJob() throws {
        let farm = try LiveFarm()
        guard case .submit(var job, let rollout) = try LiveFarm.submit(run: "again") else { return }
        job.idempotencyKey = "intake-retry"
        let first = try farm.client()
        let retry = try farm.client()
        try first.send(ClientRequest.submit(job, rollout: rollout).frames)
        try retry.send(ClientRequest.submit(job, rollout: rollout).frames)
        var ids: [String?] = []
        for socket in [first, retry] {
            let frames = try #require(try socket.receive(timeout: .seconds(20)), "a reply is missing")
            guard case .ok(let body) = try ClientReply.parse(frames) else { Issue.record("refused"); return }
            ids.append(body.job?.id)
        }
        #expect(ids[0] != nil && ids[0] == ids[1], "\(ids)")
        guard case .ok(let listed) = try farm.request(first, .status(StatusQuery())) else { return }
        #expect(listed.jobs?.count == 1)
    }

    /// An accepted job's rows are recorded off the loop too. Another connection holds the store's
    /// write lock while a SUBMIT is served: the job's rows wait for it, and meanwhile the loop answers
    /// STATUS (which lists no job: it is not accepted until recorded). When the rows were written on
    /// the loop, STATUS waited for the lock as well.
    @Test func theLoopAnswersWhileASubmitsRowsWaitForTheStore() throws {
        let farm = try LiveFarm()
        let submitter = try farm.client()
        let prober = try farm.client()
        var waiting = Configuration()
        waiting.busyMode = .timeout(10)
        let blocker = try DatabaseQueue(path: farm.directory.appending("state/farm.sqlite"), configuration: waiting)
        try blocker.inDatabase { db in
            // Held well inside the coordinator's 10 s busy timeout, which would stop it.
            try db.execute(sql: "BEGIN IMMEDIATE")
            try submitter.send(try LiveFarm.submit(run: "waits").frames)
            let until = ContinuousClock.now + .milliseconds(1500)
            var probes = 0
            while ContinuousClock.now < until {
                try prober.send(ClientRequest.status(StatusQuery()).frames)
                guard let frames = try prober.receive(timeout: .seconds(3)) else {
                    Issue.record("STATUS got no reply while a SUBMIT's rows waited for the store (probe \(probes))")
                    break
                }
                guard case .ok(let listed) = try ClientReply.parse(frames) else { Issue.record("STATUS refused"); break }
                #expect(listed.jobs?.isEmpty == true, "a job not yet recorded was listed")
                probes += 1
            }
            #expect(try submitter.receive(timeout: .zero) == nil, "the SUBMIT was answered before its rows could be written")
            try db.execute(sql: "ROLLBACK")
        }
        let frames = try #require(try submitter.receive(timeout: .seconds(20)), "the SUBMIT got no reply once the store was free")
        guard case .ok(let accepted) = try ClientReply.parse(frames) else { Issue.record("refused"); return }
        #expect(accepted.job?.run == "waits")
        guard case .ok(let listed) = try farm.request(prober, .status(StatusQuery())) else { return }
        #expect(listed.jobs?.map(\.id) == [accepted.job?.id].compactMap { $0 })
    }

    /// Planned off the loop with the run's claimed names as they were when each SUBMIT came, two
    /// clip_prefix jobs into one run sent at once must still be numbered apart: the second's names
    /// changed when the first was accepted, so the loop plans it again.
    @Test func twoNumberedClipsPlannedAtOnceGetTheirOwnNumbers() throws {
        let farm = try LiveFarm()
        let (first, second) = (try farm.client(), try farm.client())
        for (client, steps) in [(first, 50_000), (second, 20)] {
            guard case .submit(var job, _) = try LiveFarm.submit(run: "numbered") else { return }
            job.clipPrefix = "clip"
            // The first's long rollout keeps the intake busy while the second comes.
            try client.send(ClientRequest.submit(job, rollout: try LiveFarm.rolloutFile(steps: steps)).frames)
        }
        var files: [String] = []
        for client in [first, second] {
            let frames = try #require(try client.receive(timeout: .seconds(20)), "a reply is missing")
            guard case .ok(let body) = try ClientReply.parse(frames) else { Issue.record("refused: \(frames)"); return }
            files += (body.job?.clips ?? []).map(\.file)
        }
        // (The first's long message may arrive second; either way the names differ.)
        #expect(files.sorted() == ["clip_0000.mp4", "clip_0001.mp4"])
    }

    @Test func aRefusedRolloutIsAnsweredAndLeavesNothing() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        guard case .submit(let job, _) = try LiveFarm.submit(run: "broken") else { return }
        guard case .error(let error) = try farm.request(client, .submit(job, rollout: Data("FARMRLT1 not a rollout".utf8))) else {
            Issue.record("a broken rollout was accepted"); return
        }
        #expect(error.code == .invalidJob && error.message.contains("rollout refused"), "\(error.message)")
        let spool = farm.directory.appending("state/spool")
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool).isEmpty)
    }
}

/// The intake's queue is bounded: inline rollouts wait in memory, so a burst of large ones is
/// refused (and told to upload instead) rather than growing the coordinator without bound.
struct SubmissionIntakeQueueTests {
    @Test func inlineBytesAndOrdersWaitingAreBounded() throws {
        let intake = SubmissionIntake(wake: try WakePipe(), store: try CoordinatorStore.inMemory(),
                                      planner: SubmissionPlanner(configuration: .builtIn, filer: ClipFiler(logsRoot: "/nonexistent")),
                                      maxInlineBytes: 100, maxOrders: 3)
        let request = SubmitJob(workflow: "w", task: "t", run: "r", videoLength: 1, videoInterval: 1)
        let submission = { (source: RolloutSpool.Intake.Source) in
            SubmissionIntake.Submission(rollout: RolloutSpool.Intake(source: source, destination: "/nonexistent"),
                                        request: request, names: .unread)
        }
        #expect(intake.refusal(inlineBytes: 100) == nil)
        intake.take(submission(.inline(Data(count: 60))), ticket: 1)
        #expect(intake.refusal(inlineBytes: 40) == nil)
        #expect(intake.refusal(inlineBytes: 41)?.contains("upload it") == true)
        #expect(intake.refusal(inlineBytes: 0) == nil, "an uploaded rollout holds no memory")
        intake.take(submission(.upload(path: "/nonexistent")), ticket: 2)
        intake.take(submission(.inline(Data(count: 1))), ticket: 3)
        #expect(intake.refusal(inlineBytes: 0)?.contains("taking in 3 rollouts") == true)
    }
}
