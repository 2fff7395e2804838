import FarmCore
import FarmWire
import Foundation
import Synchronization
import Testing
@testable import FarmCoordinator

/// What a real coordinator tells its monitor: snapshots of its workers, and the retry, filing,
/// loss and requeue events the metrics count.
@Suite(.serialized) struct CoordinatorMonitorTests {
    final class Recorder: CoordinatorMonitor {
        private let state = Mutex((snapshots: [CoordinatorSnapshot](), events: [CoordinatorEvent]()))

        func publish(_ snapshot: CoordinatorSnapshot) { state.withLock { $0.snapshots.append(snapshot) } }
        func record(_ event: CoordinatorEvent) { state.withLock { $0.events.append(event) } }

        var events: [CoordinatorEvent] { state.withLock { $0.events } }
        var snapshots: [CoordinatorSnapshot] { state.withLock { $0.snapshots } }

        /// Polls until `condition` holds on the events (10 s at most).
        func waitFor(_ what: String, _ condition: ([CoordinatorEvent]) -> Bool) throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while !condition(events) {
                guard ContinuousClock.now < deadline else { throw TestFailure("no \(what); events: \(events)") }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    @Test func reportsRetriesFilingsLossesAndRequeues() throws {
        let recorder = Recorder()
        // Liveness of 3 × 0.5 s: long enough for the steps before the silence, short for the test.
        let farm = try LiveFarm(policy: SchedulerPolicy(liveness: Liveness(interval: 0.5, missedBeats: 3)), monitor: recorder)
        let worker = try FakeWorker("w1", farm: farm)
        let client = try farm.client()
        guard case .ok = try farm.request(client, try LiveFarm.submit(run: "watched", steps: 200, length: 5, interval: 100)) else {
            Issue.record("submit refused"); return
        }
        let first = try worker.task()
        try worker.beat(first)
        try worker.socket.send(WorkerMessage.failed(TaskFailure(jobId: first.jobId, clipId: first.clipId,
                                                                attempt: first.attempt, error: "GPU fell off the bus",
                                                                retryable: true)).frames, wait: true)
        // The only worker gets the retry at once (a barrier here would swallow that TASK).
        let second = try worker.task()
        #expect(second.clipId == first.clipId && second.attempt == 2)
        #expect(recorder.events == [.clipRetried])
        try worker.beat(second)
        try worker.finish(second)
        // The next TASK shows the RESULT was handled (a barrier here would swallow that TASK).
        let third = try worker.task()
        // FakeWorker reports 1 ms of wall time for every clip.
        guard case let .clipFiled(id, host, frames, render, latency) = try #require(recorder.events.last) else {
            Issue.record("no clipFiled event: \(recorder.events)"); return
        }
        #expect(id == "w1" && host == "testhost" && frames == 5)
        #expect(abs(render - 0.001) < 1e-9)
        #expect(latency >= 0 && latency < 10)

        // Holding its third clip, the worker goes silent: it is lost and the clip requeued.
        #expect(third.clipId != second.clipId)
        try recorder.waitFor("loss") { $0.contains(.workerLost) }
        #expect(Array(recorder.events.suffix(2)) == [.workerLost, .clipRequeued])
        try recorder.waitFor("a snapshot showing the lost worker") { _ in
            recorder.snapshots.last?.workers.first?.state == .lost
        }
        #expect(recorder.snapshots.last?.queueDepth == 1)
    }

    /// A worker that says goodbye holding a clip gives it back: a requeue, not a loss.
    @Test func goodbyeWithAClipIsARequeue() throws {
        let recorder = Recorder()
        let farm = try LiveFarm(monitor: recorder)
        let worker = try FakeWorker("w1", farm: farm)
        let client = try farm.client()
        guard case .ok = try farm.request(client, try LiveFarm.submit(run: "leaving", steps: 10, length: 5, interval: 100)) else {
            Issue.record("submit refused"); return
        }
        _ = try worker.task()
        try worker.socket.send(WorkerMessage.disconnect(Disconnect(reason: "SIGTERM")).frames, wait: true)
        try recorder.waitFor("a requeue") { $0 == [.clipRequeued] }
    }
}
