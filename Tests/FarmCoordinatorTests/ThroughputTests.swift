import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

/// Render-free workers that answer every TASK at once: the farm's speed is then the coordinator's.
@Suite(.serialized) struct ThroughputTests {
    @Test(arguments: [1, 8, 64])
    func everyClipIsAcceptedOnceWithManyWorkers(workerCount: Int) throws {
        let farm = try LiveFarm()
        let workers = try (0..<workerCount).map { try FakeWorker(String(format: "w%02d", $0), farm: farm) }
        let client = try farm.client()
        let clips = 640
        let start = Date()
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
                    try worker.finish(task, bytes: Data([UInt8(task.clipId & 0xff)]))
                    answered += 1
                }
            }
        }
        for worker in workers { try worker.barrier() }
        let seconds = Date().timeIntervalSince(start)
        guard case .ok(let status) = try farm.request(client, .status(StatusQuery(jobId: job.id))),
              let record = status.job else { Issue.record("status failed"); return }
        #expect(record.state == .completed)
        #expect(record.clips?.allSatisfy { $0.attempts == 1 && $0.state == .done } == true)
        let files = try FileManager.default.contentsOfDirectory(atPath: record.videoDir)
        #expect(files.count == clips)
        print("dispatch throughput: \(workerCount) render-free workers, \(clips) clips in "
            + "\(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", Double(clips) / seconds)) clips/s")
    }
}
