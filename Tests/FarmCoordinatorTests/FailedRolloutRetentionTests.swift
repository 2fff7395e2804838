import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

/// Failed jobs keep their rollouts for `farmctl retry`, but only within their share of the spool:
/// they used to be kept forever, so jobs that fail could fill the state directory's disk.
struct FailedRolloutRetentionTests {
    /// (rollouts oldest first, bound, dropped)
    static let cases: [(String, [(path: String, bytes: Int)], Int, [String])] = [
        ("within the bound", [("a", 10), ("b", 20)], 30, []),
        ("the oldest go first", [("a", 10), ("b", 20), ("c", 5)], 30, ["a"]),
        ("as many as it takes", [("a", 10), ("b", 20), ("c", 25)], 30, ["a", "b"]),
        ("one alone past the bound goes too", [("a", 40)], 30, ["a"]),
        ("none kept", [], 30, []),
    ]

    @Test(arguments: cases)
    func theOldestFailedRolloutsAreDroppedPastTheBound(name: String, kept: [(path: String, bytes: Int)], bound: Int,
                                                       dropped: [String]) {
        #expect(FailedRolloutRetention(maxBytes: bound).toDrop(kept) == dropped, "\(name)")
    }

    /// Two jobs fail with a bound that holds one rollout: the older one's goes, and retrying it
    /// says to submit it again; the newer one can still be retried.
    @Test func aLiveCoordinatorKeepsOnlyTheNewestFailedRollouts() throws {
        let size = try LiveFarm.rolloutFile(steps: 60).count
        let farm = try LiveFarm(policy: SchedulerPolicy(maxRetries: 0),
                                failedRolloutRetention: FailedRolloutRetention(maxBytes: size + size / 2))
        let worker = try FakeWorker("w", farm: farm)
        let client = try farm.client()
        var jobs: [String] = []
        for run in ["first", "second"] {
            guard case .ok(let submitted) = try farm.request(client, try LiveFarm.submit(run: run, steps: 60, length: 60, interval: 100)),
                  let id = submitted.job?.id else { Issue.record("refused"); return }
            jobs.append(id)
            let task = try worker.task()
            try worker.socket.send(WorkerMessage.failed(TaskFailure(jobId: task.jobId, clipId: task.clipId, attempt: task.attempt,
                                                                    error: "bad rollout", retryable: false)).frames, wait: true)
            try worker.barrier()
            guard case .ok(let failed) = try farm.request(client, .status(StatusQuery(jobId: id))) else { Issue.record("no status"); return }
            #expect(failed.job?.state == .failed)
        }
        guard case .error(let gone) = try farm.request(client, .retryJob(RetryJob(jobId: jobs[0]))) else {
            Issue.record("the older failed job was retried without its rollout"); return
        }
        #expect(gone.message.contains("no longer kept"), "\(gone.message)")
        guard case .ok = try farm.request(client, .retryJob(RetryJob(jobId: jobs[1]))) else {
            Issue.record("the newest failed job lost its rollout"); return
        }
    }
}
