import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

/// A worker that keeps beating but renders no frame of its clip (a hung driver, a wedged encoder, a
/// peer that takes clips and never renders them) used to hold the clip forever. Past
/// `stallTimeout` without a new frame it is declared lost, and the clip goes to another worker.
struct StalledClipTests {
    static let policy = SchedulerPolicy(poisonAfterLostWorkers: 2, stallTimeout: 10)

    /// `frames(second)`: the frames "a" reports done at each beat.
    static let cases: [(String, @Sendable (Int) -> Int, lost: Bool)] = [
        ("no frame for longer than the timeout", { _ in 0 }, true),
        ("frames rendered now and then", { $0 / 5 }, false),
        ("a few frames, then none", { min($0, 3) }, true),
        ("every frame rendered: encoding and sending, not a stall", { _ in 30 }, false),
    ]

    @Test(arguments: cases)
    func aWorkerThatRendersNoFrameIsLost(name: String, frames: @Sendable (Int) -> Int, lost: Bool) throws {
        let farm = try SchedulerFarm(policy: Self.policy)
        try farm.ready("a")
        let (job, _) = try farm.submit(clips: 1)
        try farm.ready("b")
        var effects: [SchedulerEffect] = []
        for second in 1...20 {
            farm.clock.advance(by: 1)
            let now = farm.clock.now()
            if let assignment = farm.scheduler.workers["a"]?.state.assignment {
                effects += try farm.scheduler.heartbeat(
                    worker: "a", holding: (assignment.clip, assignment.attempt),
                    progress: ClipProgress(framesDone: frames(second), framesTotal: 30, fps: 1), rssBytes: nil, now: now) ?? []
            }
            effects += try farm.scheduler.heartbeat(worker: "b", holding: nil, progress: nil, rssBytes: nil, now: now) ?? []
            effects += try farm.scheduler.tick(now: now)
        }
        let loss = effects.first { if case .workerLost = $0 { true } else { false } }
        if lost {
            guard case .workerLost("a", .c(job, 0), .stalled(let seconds)) = loss else {
                Issue.record("\(name): \(String(describing: loss))"); return
            }
            #expect(seconds > 10 && seconds <= 11, "\(name): lost after \(seconds) s without a frame")
            #expect(dispatches(effects).contains("b:\(job)/0#2"), "\(name): the clip goes to another worker")
        } else {
            #expect(loss == nil, "\(name)")
            #expect(farm.scheduler.workers["a"]?.state.phase == .rendering, "\(name)")
        }
    }

    /// A clip that stalls every worker that takes it is poison after `poisonAfterLostWorkers`.
    @Test func aClipThatStallsEveryWorkerIsPoison() throws {
        let farm = try SchedulerFarm(policy: Self.policy)
        try farm.ready("a")
        try farm.ready("b")
        let (job, _) = try farm.submit(clips: 1)
        var effects: [SchedulerEffect] = []
        for _ in 1...30 {
            farm.clock.advance(by: 1)
            let now = farm.clock.now()
            for id: WorkerID in ["a", "b"] {
                let holding = farm.scheduler.workers[id]?.state.assignment.map { ($0.clip, $0.attempt) }
                effects += try farm.scheduler.heartbeat(
                    worker: id, holding: holding,
                    progress: holding.map { _ in ClipProgress(framesDone: 0, framesTotal: 30, fps: 0) }, rssBytes: nil, now: now) ?? []
            }
            effects += try farm.scheduler.tick(now: now)
        }
        #expect(effects.contains { if case .clipPoisoned(.c(job, 0), _) = $0 { true } else { false } })
        #expect(try farm.clip(.c(job, 0)).state == .failed)
    }

    /// Over the wire: a worker that beats but renders nothing loses its clip to another worker, and
    /// is told why when it beats again.
    @Test func aLiveCoordinatorGivesAStalledClipToAnotherWorker() throws {
        let farm = try LiveFarm(policy: SchedulerPolicy(stallTimeout: 1.5))
        let stuck = try FakeWorker("stuck", farm: farm)
        let client = try farm.client()
        guard case .ok = try farm.request(client, try LiveFarm.submit(steps: 10, length: 10, interval: 50)) else {
            Issue.record("refused"); return
        }
        let task = try stuck.task()
        let other = try FakeWorker("other", farm: farm)
        var retaken: TaskAssignment?
        var told: String?
        let deadline = ContinuousClock.now + .seconds(30)
        while retaken == nil || told == nil, ContinuousClock.now < deadline {
            try stuck.beat(task, done: 0)
            try other.beat(retaken, done: 1)
            // Whatever came for either, a beat apart.
            while let frames = try other.socket.receive(timeout: .milliseconds(300)) {
                if case .task(let assignment, _) = try CoordinatorMessage.parse(frames) { retaken = assignment }
            }
            while let frames = try stuck.socket.receive(timeout: .zero) {
                if case .error(let error) = try CoordinatorMessage.parse(frames), error.code == .notRegistered { told = error.message }
            }
        }
        #expect(retaken?.clipId == task.clipId && retaken?.attempt == task.attempt + 1, "\(String(describing: retaken))")
        #expect(told?.contains("no frame of its clip rendered") == true, "\(told ?? "not told")")
    }
}

