import FarmCore
import FarmWire
import Foundation
import Synchronization
import Testing
@testable import FarmCoordinator

/// Issue 19, finding 6: a SUBMIT within the limits held the coordinator's loop past the liveness
/// timeout and a live worker was declared lost; STATUS of every job grew with the farm's history.
@Suite(.serialized) struct BigRequestTests {
    @Test func aLiveWorkerIsNotLostWhileABigSubmitIsServed() throws {
        // Liveness 0.3 s: far shorter than planning and storing the largest job allowed.
        let farm = try LiveFarm(policy: SchedulerPolicy(liveness: Liveness(interval: 0.1, missedBeats: 3)))
        let worker = try FakeWorker("w1", farm: farm)
        let client = try farm.client()
        guard case .ok = try farm.request(client, try LiveFarm.submit(run: "small", steps: 20, length: 10, interval: 100)) else {
            Issue.record("refused"); return
        }
        let task = try worker.task()
        // The worker beats every 50 ms from its own thread (the only user of its socket meanwhile).
        let stop = Mutex(false)
        let stopped = DispatchSemaphore(value: 0)
        let handOver = HandedOver(worker)
        let beater = Thread {
            while !stop.withLock({ $0 }) {
                try? handOver.value.beat(task, done: 1)
                Thread.sleep(forTimeInterval: 0.05)
            }
            stopped.signal()
        }
        beater.start()
        let limit = SubmissionLimits.standard.maxClipsPerJob
        let started = ContinuousClock.now
        let reply = try farm.request(client, try LiveFarm.submit(run: "big", steps: limit, length: 1, interval: 1))
        let served = ContinuousClock.now - started
        stop.withLock { $0 = true }
        stopped.wait()
        guard case .ok(let body) = reply else { Issue.record("the largest job allowed was refused: \(reply)"); return }
        #expect(body.job?.clipsTotal == limit)
        #expect(served < .seconds(10), "a job of \(limit) clips took \(served)")
        guard case .ok(let workers) = try farm.request(client, .workers(WorkersQuery())) else { return }
        #expect(workers.workers?.first?.state == .rendering, "the worker beat throughout, yet: \(workers.workers ?? [])")
    }

    @Test func statusOfAllJobsIsPaged() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        for index in 0..<12 {
            guard case .ok = try farm.request(client, try LiveFarm.submit(run: "r\(index)", steps: 20, length: 10, interval: 10)) else {
                Issue.record("refused"); return
            }
        }
        guard case .ok(let newest) = try farm.request(client, .status(StatusQuery(limit: 5))) else { return }
        #expect(newest.jobs?.map(\.id) == ["8", "9", "10", "11", "12"])
        #expect(newest.olderThan == "8")
        guard case .ok(let older) = try farm.request(client, .status(StatusQuery(limit: 5, beforeJob: "8"))) else { return }
        #expect(older.jobs?.map(\.id) == ["3", "4", "5", "6", "7"])
        guard case .ok(let oldest) = try farm.request(client, .status(StatusQuery(limit: 5, beforeJob: "3"))) else { return }
        #expect(oldest.jobs?.map(\.id) == ["1", "2"])
        #expect(oldest.olderThan == nil)
        guard case .ok(let all) = try farm.request(client, .status(StatusQuery())) else { return }
        #expect(all.jobs?.count == 12, "the default page holds \(StatusQuery.defaultLimit)")
        guard case .error(let tooMany) = try farm.request(client, .status(StatusQuery(limit: 100_000))) else {
            Issue.record("an unbounded page was served"); return
        }
        #expect(tooMany.message.contains("limit is 100000"))
    }

    /// A job's clips come a page at a time (STATUS of the job, and SUBMIT's reply), so no one record
    /// holds the loop while thousands of clips are encoded; `next_clips_after` pages on.
    @Test func aJobsClipsArePaged() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        let clips = 2 * StatusQuery.clipsPerPage + 500
        guard case .ok(let submitted) = try farm.request(client, try LiveFarm.submit(run: "big", steps: clips, length: 1,
                                                                                     interval: 1)) else {
            Issue.record("refused"); return
        }
        let id = try #require(submitted.job?.id)
        #expect(submitted.job?.clipsTotal == clips)
        #expect(submitted.job?.clips?.count == StatusQuery.clipsPerPage)
        var listed: [Int] = []
        var after: Int?
        repeat {
            guard case .ok(let page) = try farm.request(client, .status(StatusQuery(jobId: id, clipsAfter: after))) else {
                Issue.record("STATUS refused"); return
            }
            let record = try #require(page.job)
            #expect(record.clipsTotal == clips, "each page counts the whole job")
            listed += (record.clips ?? []).map(\.id)
            after = record.nextClipsAfter
            #expect(after == nil || after == listed.last)
        } while after != nil
        #expect(listed == Array(0..<clips))
        guard case .error(let refused) = try farm.request(client, .status(StatusQuery(clipsAfter: 3))) else {
            Issue.record("clips_after without a job was served"); return
        }
        #expect(refused.message.contains("give job_id"))
    }
}

/// A value handed to one other thread, which alone uses it until it signals that it is done (the
/// worker's socket while it beats): not shared, so unchecked.
private final class HandedOver<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The job list costs the loop in proportion to its jobs' clips: a page ends, with `older_than`,
/// once it holds `StatusQuery.clipsPerJobsPage` clips, and paging back lists every job.
struct JobListPageTests {
    @Test func aPageOfBigJobsEndsEarlyAndPagesBackToTheRest() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        let perJob = SubmissionLimits.standard.maxClipsPerJob
        let fit = StatusQuery.clipsPerJobsPage / perJob
        var ids: [String] = []
        for run in 0...fit {
            guard case .ok(let submitted) = try farm.request(client, try LiveFarm.submit(run: "big\(run)", steps: perJob, length: 1,
                                                                                         interval: 1)),
                  let id = submitted.job?.id else { Issue.record("refused"); return }
            ids.append(id)
            _ = try farm.request(client, .cancelJob(CancelJob(jobId: id)))
        }
        guard case .ok(let first) = try farm.request(client, .status(StatusQuery())) else { Issue.record("refused"); return }
        #expect(first.jobs?.map(\.id) == Array(ids.suffix(fit)), "the newest \(fit) hold the page's clips")
        #expect(first.jobs?.allSatisfy { $0.clipsTotal == perJob } == true)
        let older = try #require(first.olderThan)
        guard case .ok(let second) = try farm.request(client, .status(StatusQuery(beforeJob: older))) else { Issue.record("refused"); return }
        #expect(second.jobs?.map(\.id) == [ids[0]])
        #expect(second.olderThan == nil)
    }
}
