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

    /// One worker: RESULT sent → clip filed and recorded → next TASK received, per clip, next to a bare
    /// ROUTER/DEALER round trip measured in the same run.
    @Test func perClipCycleBesideABareRoundTrip() throws {
        let context = try ZMQContext()
        let router = try ZMQSocket(context: context, kind: .router)
        let dealer = try ZMQSocket(context: context, kind: .dealer)
        try dealer.connect(try router.bind("tcp://127.0.0.1:0"))
        let payload = [Data("FARM01".utf8), Data("RESULT".utf8), Data(repeating: 1, count: 200)]
        var bare: [Double] = []
        for _ in 0..<300 {
            let start = Date()
            try dealer.send(payload, wait: true)
            let request = try #require(try router.receive(timeout: .seconds(5)))
            try router.send(request)
            _ = try #require(try dealer.receive(timeout: .seconds(5)))
            bare.append(Date().timeIntervalSince(start))
        }

        let farm = try LiveFarm()
        let worker = try FakeWorker("w", farm: farm)
        let client = try farm.client()
        guard case .ok = try farm.request(client, try LiveFarm.submit(run: "cycle", steps: 3000, length: 1, interval: 10)) else {
            Issue.record("submit refused"); return
        }
        var task = try worker.task()
        var cycles: [Double] = []
        for _ in 0..<299 {
            let start = Date()
            try worker.finish(task)
            task = try worker.task()
            cycles.append(Date().timeIntervalSince(start))
        }
        let bareMs = Self.median(bare) * 1000
        let cycleMs = Self.median(cycles) * 1000
        #expect(cycleMs > bareMs)
        print("per-clip coordinator cycle (RESULT → filed → next TASK), median of 299: \(String(format: "%.2f", cycleMs)) ms; "
            + "bare ROUTER/DEALER round trip, median of 300: \(String(format: "%.3f", bareMs)) ms")
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
