import FarmCore
import FarmTestSupport
import FarmWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 19: no single client or coordinator-shaped peer can take down a real coordinator or
/// worker process with a rate, a frame size or a camera, and a clip that kills every worker it is
/// sent to is failed as poison rather than requeued forever.
@Suite(.serialized)
struct HostilePeerTests {
    /// A one-body rollout of `steps` steps with this `step_dt`, as a hostile trainer would write it
    /// (the header is not checked on the way out).
    static func rollout(stepDT: Double, steps: Int = 20) throws -> Data {
        try RolloutWriter.encode(header: header(stepDT: stepDT, steps: steps), bodyQ: bodyQ(steps: steps))
    }

    static func header(stepDT: Double, steps: Int) -> RolloutHeader {
        RolloutHeader(stepDT: stepDT, steps: steps, numBodies: 1, numEnvs: 1, envSpacing: 0,
                      shapes: [ShapeSpec(geometry: .box(halfExtents: Vec3(0.5, 0.5, 0.5)), body: 0)])
    }

    static func bodyQ(steps: Int) -> [Float] { Array([[Float]](repeating: [0, 0, 1, 0, 0, 0, 1], count: steps).joined()) }

    /// (what, schedule, step_dt, fps, render_fps, phrase the refusal must contain). Each used to
    /// crash the coordinator (`FrameRate.approximate`) or every worker that took the clip (`MP4Writer`).
    static let unplayableRates: [(String, String, Double, Int?, Double?, String)] = [
        ("gymnasium step_dt 1e-300", "gymnasium", 1e-300, nil, nil, "step_dt is 1e-300"),
        ("gymnasium step_dt 5e-324", "gymnasium", 5e-324, nil, nil, "step_dt is 5e-324"),
        ("isaaclab step_dt 1e-10", "isaaclab", 1e-10, nil, nil, "step_dt is 1e-10"),
        ("isaaclab fps 2^31", "isaaclab", 1.0 / 60, 1 << 31, nil, "fps is 2147483648"),
        ("isaaclab render_fps 1e300", "isaaclab", 1.0 / 60, nil, 1e300, "render_fps is 1e+300"),
    ]

    @Test(arguments: unplayableRates)
    func submitWithAnUnplayableRateIsRefusedAndTheCoordinatorServesOn(
        name: String, schedule: String, stepDT: Double, fps: Int?, renderFps: Double?, phrase: String
    ) throws {
        let farm = try FarmProcesses()
        let coordinator = try farm.startCoordinator()
        let context = try ZMQContext()
        let client = try ZMQSocket(context: context, kind: .dealer)
        defer { client.close() }
        try client.connect(farm.clientEndpoint)
        let job = SubmitJob(workflow: "rl_games", task: "Isaac-Cartpole-v0", run: "hostile", videoLength: 10,
                            videoInterval: 10, schedule: schedule, width: 64, height: 48, fps: fps, renderFps: renderFps)
        try client.send(ClientRequest.submit(job, rollout: try Self.rollout(stepDT: stepDT)).frames)
        let reply = try #require(try client.receive(timeout: .seconds(20)), "\(name): no reply; the coordinator died")
        guard case .error(let error) = try ClientReply.parse(reply) else {
            Issue.record("\(name): accepted; expected a refusal")
            return
        }
        #expect(error.message.contains(phrase), "\(name): \(error.message)")
        #expect(coordinator.isRunning, "\(name)")
        let status = try farm.farmctl(["status", "--json"])
        #expect(status.status == 0, "\(name): \(status.stderr)")
    }

    /// A clip whose workers are lost mid-clip twice fails as poison, with that reason; the farm
    /// goes on serving other jobs, and `farmctl retry` can still force the clip.
    @Test func clipThatTakesDownTwoWorkersFailsAsPoison() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        var doomed = try farm.startWorker()
        let job = try #require(try farm.submit(FarmFaultTests.long + ["--run", "poison"]).job)
        for round in 1...2 {
            try farm.waitUntil("a worker rendering the clip (round \(round))") {
                try farm.workersReport().contains { $0.state == "rendering" && $0.framesDone >= 1 }
            }
            farm.killHard(doomed)
            if round == 1 { doomed = try farm.startWorker() }
        }
        try farm.waitUntil("the job to fail as poison") { try farm.status(job.id).state == .failed }
        let failed = try farm.status(job.id)
        let clip = try #require(failed.clips?.first)
        #expect(clip.state == .failed)
        #expect(clip.error?.contains("poison clip: 2 workers were lost while rendering it") == true, "\(clip.error ?? "no error")")
        #expect(clip.attempts == 2, "no third worker was given it")
        #expect(farm.clipFiles(failed).isEmpty)

        // The farm serves on, and the operator can force the clip once more.
        try farm.startWorker()
        let other = try farm.submit(FarmFaultTests.small + ["--steps", "20", "--video_length", "10", "--video_interval", "100",
                                                           "--run", "after-poison"], wait: true)
        #expect(other.status == 0, "\(other.stderr)")
        let retried = try farm.farmctl(["retry", job.id])
        #expect(retried.status == 0, "\(retried.stderr)")
        try farm.waitUntil("the forced clip to land") { try farm.status(job.id).state == .completed }
    }
}
