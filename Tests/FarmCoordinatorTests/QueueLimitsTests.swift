import FarmWire
import Testing
@testable import FarmCoordinator

/// Issue 19: no client can grow the coordinator's memory and state without bound by submitting
/// faster than the farm renders. A SUBMIT that would pass what the farm holds at once is refused
/// (`queue_full`) before anything is made, and taken again once clips finish.
@Suite(.serialized) struct QueueLimitsTests {
    @Test(arguments: [
        (3, 0, nil, nil), (3, 2, nil, nil), (3, 3, nil, "the farm holds 3 open clip(s)"),
        (3, 0, 1, nil), (3, 0, 2, "this client key's jobs hold 2 open clip(s)"), (6, 0, nil, "at most 5"),
    ] as [(Int, Int, Int?, String?)])
    func refusals(adding: Int, open: Int, openOfClient: Int?, phrase: String?) {
        let limits = QueueLimits(maxOpenClips: 5, maxOpenClipsPerClient: 4)
        let refusal = limits.refusal(adding: adding, open: open, openOfClient: openOfClient)
        if let phrase { #expect(refusal?.contains(phrase) == true, "\(refusal ?? "accepted")") } else { #expect(refusal == nil) }
    }

    /// Three-clip jobs against a farm that holds five open clips.
    @Test func aSubmitPastTheFarmsOpenClipsIsRefusedUntilSomeFinish() throws {
        let farm = try LiveFarm(queueLimits: QueueLimits(maxOpenClips: 5))
        let client = try farm.client()
        guard case .ok(let first) = try farm.request(client, try LiveFarm.submit(run: "a")),
              let job = first.job else { Issue.record("the first job was refused"); return }
        #expect(job.clipsTotal == 3)
        guard case .error(let full) = try farm.request(client, try LiveFarm.submit(run: "b")) else {
            Issue.record("a job past the limit was accepted"); return
        }
        #expect(full.code == .queueFull && full.message.contains("at most 5"), "\(full.message)")
        guard case .ok(let listed) = try farm.request(client, .status(StatusQuery())) else { return }
        #expect(listed.jobs?.count == 1, "the refused job made nothing")
        _ = try farm.request(client, .cancelJob(CancelJob(jobId: job.id)))
        guard case .ok = try farm.request(client, try LiveFarm.submit(run: "b")) else {
            Issue.record("refused after the open clips were cancelled"); return
        }
    }

    /// On an authenticated farm each client key has its own share; another key is not held up.
    @Test func oneClientKeyCannotTakeTheWholeQueue() throws {
        let auth = try AuthenticatedFarm(queueLimits: QueueLimits(maxOpenClipsPerClient: 4))
        let alice = try auth.client(auth.alice)
        guard case .ok = try auth.ask(alice, try LiveFarm.submit(run: "a1")) else { Issue.record("refused"); return }
        guard case .error(let full) = try auth.ask(alice, try LiveFarm.submit(run: "a2")) else {
            Issue.record("alice passed her share"); return
        }
        #expect(full.code == .queueFull && full.message.contains("this client key's jobs hold 3"), "\(full.message)")
        guard case .ok = try auth.ask(try auth.client(auth.bob), try LiveFarm.submit(run: "b1")) else {
            Issue.record("bob was held up by alice's jobs"); return
        }
    }
}
