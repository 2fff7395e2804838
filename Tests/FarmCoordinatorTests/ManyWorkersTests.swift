import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

/// Many render-free workers answering every TASK at once, the coordinator's busiest case: every clip
/// must still be dispatched and accepted exactly once. (Speed is measured by `farm-bench dispatch`.)
@Suite(.serialized) struct ManyWorkersTests {
    @Test(arguments: [1, 8, 64])
    func everyClipIsAcceptedOnceWithManyWorkers(workerCount: Int) throws {
        let farm = try LiveFarm()
        let workers = try (0..<workerCount).map { try FakeWorker(String(format: "w%02d", $0), farm: farm) }
        let client = try farm.client()
        let clips = 640
        guard case .ok(let submitted) = try farm.request(client, try LiveFarm.submit(
            run: "swarm\(workerCount)", steps: clips * 10, length: 1, interval: 10)), let job = submitted.job else {
            Issue.record("submit refused"); return
        }
        #expect(job.clipsTotal == clips)

        var answered = 0
        var seen = Set<Int>()
        while answered < clips {
            let readable = try ZMQPoller.poll(workers.map { .socket($0.socket) }, timeout: .seconds(10))
            guard readable.contains(true) else { Issue.record("no TASK for 10 s after \(answered) clips"); return }
            for (worker, ready) in zip(workers, readable) where ready {
                while let frames = try worker.socket.receive(timeout: .zero) {
                    guard case let .task(task, _) = try CoordinatorMessage.parse(frames) else { continue }
                    #expect(seen.insert(task.clipId).inserted, "clip \(task.clipId) dispatched twice")
                    try worker.finish(task)
                    answered += 1
                }
            }
        }
        for worker in workers { try worker.barrier() }
        guard case .ok(let status) = try farm.request(client, .status(StatusQuery(jobId: job.id))),
              let record = status.job else { Issue.record("status failed"); return }
        #expect(record.state == .completed)
        #expect(record.clips?.allSatisfy { $0.attempts == 1 && $0.state == .done } == true)
        let files = try FileManager.default.contentsOfDirectory(atPath: record.videoDir)
        #expect(files.count == clips)
    }
}
