import FarmCore
import FarmTestSupport
import FarmWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The farm as users run it: real coordinator and worker processes on loopback, real EGL rendering
/// and libav encoding, farmctl as the client. One farm per test; they run one at a time because each
/// renders on the machine's cores.
@Suite(.serialized)
struct FarmFaultTests {
    /// 320×180 clips of a 16-env Cartpole: quick on a software rasteriser, still a real render.
    static let small = ["--num_envs", "16", "--width", "320", "--height", "180"]
    /// One long clip, so a test can act while it renders.
    static let long = ["--steps", "400", "--num_envs", "64", "--video_length", "400", "--video_interval", "1000",
                       "--width", "640", "--height", "360"]

    private func expectValidClip(_ path: String, frames: Int, width: Int = 320, height: Int = 180) throws {
        let probe = try ClipInspection.probe(path)
        #expect(probe.codec_name == "h264" && probe.pix_fmt == "yuv420p", "\(path)")
        #expect(probe.width == width && probe.height == height, "\(path)")
        #expect(probe.avg_frame_rate == "60/1", "\(path)")
        #expect(probe.nb_read_frames == String(frames), "\(path)")
        #expect(try ClipInspection.decodeErrors(path).isEmpty, "\(path)")
    }

    private func waitForRendering(_ farm: FarmProcesses, framesAtLeast: Int = 1) throws -> WorkerRecord {
        var rendering: WorkerRecord?
        try farm.waitUntil("a worker rendering") {
            rendering = try farm.workersReport().first { $0.state == .rendering && $0.framesDone >= framesAtLeast }
            return rendering != nil
        }
        return rendering!
    }

    @Test func jobAcrossTwoWorkersLandsEveryPlannedClip() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        try farm.startWorker()
        try farm.startWorker()
        try farm.waitUntil("both workers to register") { try farm.workersReport().count == 2 }
        let submitted = try farm.submit(Self.small + ["--steps", "400", "--video_length", "30", "--video_interval", "100",
                                                      "--run", "two-workers"], wait: true)
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let job = try #require(submitted.job)
        #expect(job.state == .completed)
        #expect(job.videoDir == "\(farm.logsRoot)/rl_games/Isaac-Cartpole-v0/two-workers/videos/train")

        let plan = try farm.farmctl(["plan", "--steps", "400", "--video_length", "30", "--video_interval", "100", "--json"])
        let planned = try JSONDecoder().decode([PlannedFile].self, from: plan.stdout).map(\.file)
        #expect(farm.clipFiles(job) == planned.sorted())
        #expect(planned == ["rl-video-step-0.mp4", "rl-video-step-100.mp4", "rl-video-step-200.mp4", "rl-video-step-300.mp4"])
        for file in planned { try expectValidClip("\(job.videoDir)/\(file)", frames: 30) }
        let workersUsed = Set((job.clips ?? []).compactMap(\.worker))
        #expect(workersUsed.count == 2, "clips went to \(workersUsed)")
    }

    @Test func killedWorkerMidClipIsRedoneElsewhereOnce() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        let doomed = try farm.startWorker()
        let job = try #require(try farm.submit(Self.long + ["--run", "kill-worker"]).job)
        _ = try waitForRendering(farm, framesAtLeast: 5)
        farm.killHard(doomed)
        try farm.startWorker()
        try farm.waitUntil("the job to complete after the worker died") { try farm.status(job.id).state == .completed }
        let finished = try farm.status(job.id)
        #expect(farm.clipFiles(finished) == ["rl-video-step-0.mp4"])
        try expectValidClip("\(finished.videoDir)/rl-video-step-0.mp4", frames: 400, width: 640, height: 360)
        // A lost worker's clip is requeued without spending one of its retries.
        #expect(finished.clips?.first?.state == .done)
    }

    @Test func restartedCoordinatorFinishesTheJob() throws {
        let farm = try FarmProcesses()
        let first = try farm.startCoordinator()
        try farm.startWorker()
        // Four clips long enough that the coordinator dies with work both done and to do.
        let job = try #require(try farm.submit(["--steps", "400", "--num_envs", "64", "--video_length", "100",
                                                "--video_interval", "100", "--width", "640", "--height", "360",
                                                "--run", "restart"]).job)
        // Any moment of rendering will do: a progress heartbeat inside a 100-frame clip can be missed.
        _ = try waitForRendering(farm, framesAtLeast: 0)
        let finished = try farm.restartCoordinator(first, thenWaitFor: job.id)
        #expect(finished.state == .completed)
        let files = ["rl-video-step-0.mp4", "rl-video-step-100.mp4", "rl-video-step-200.mp4", "rl-video-step-300.mp4"]
        #expect(farm.clipFiles(finished) == files)
        for file in files { try expectValidClip("\(finished.videoDir)/\(file)", frames: 100, width: 640, height: 360) }
    }

    @Test func clipThatKeepsFailingIsRetriedThenMarkedFailed() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        // Each worker's scratch directory vanishes after start (a tmp cleaner, a full disk): every
        // attempt fails on the worker, which is the clip failing rather than the worker being lost.
        let scratch = (0..<2).map { farm.directory.appendingPathComponent("scratch-\($0)").path }
        for directory in scratch {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try farm.startWorker(["--scratch-dir", directory])
        }
        try farm.waitUntil("both workers to register") { try farm.workersReport().count == 2 }
        for directory in scratch { try FileManager.default.removeItem(atPath: directory) }

        let submitted = try farm.submit(Self.small + ["--steps", "50", "--video_length", "10", "--video_interval", "100",
                                                      "--run", "failing"], wait: true)
        #expect(submitted.status != 0)
        let job = try farm.status(try #require(submitted.job).id)
        #expect(job.state == .failed)
        let clip = try #require(job.clips?.first)
        #expect(clip.state == .failed)
        #expect(clip.attempts == 1 + FarmSettings.builtIn.maxRetries)
        #expect(clip.error?.contains("No such file or directory") == true, "\(clip.error ?? "no error")")
        #expect(farm.clipFiles(job).isEmpty)
    }

    @Test func malformedMessagesGetErrorRepliesAndTheCoordinatorKeepsServing() throws {
        let farm = try FarmProcesses()
        let coordinator = try farm.startCoordinator()
        let context = try ZMQContext()
        for endpoint in [farm.clientEndpoint, farm.workerEndpoint] {
            let peer = try ZMQSocket(context: context, kind: .dealer)
            defer { peer.close() }
            try peer.connect(endpoint)
            let garbage: [[Data]] = [
                [Data([0xFF, 0x00, 0x13])],
                [Data("FARM01".utf8)],
                [Data("FARM99".utf8), Data("STATUS".utf8), Data("{}".utf8)],
                [Data("FARM01".utf8), Data("LAUNCH_MISSILES".utf8), Data("{}".utf8)],
                [Data("FARM01".utf8), Data("STATUS".utf8), Data("{not json".utf8)],
                [Data("FARM01".utf8), Data("HEARTBEAT".utf8), Data("{\"state\": 7}".utf8)],
            ]
            for frames in garbage {
                try peer.send(frames)
                let reply = try #require(try peer.receive(timeout: .seconds(10)), "no reply to \(frames) on \(endpoint)")
                let parsed = try ClientReply.parse(reply)
                guard case .error(let error) = parsed else {
                    Issue.record("expected an ERROR reply to \(frames), got \(parsed)")
                    continue
                }
                #expect(!error.message.isEmpty)
            }
        }
        #expect(coordinator.isRunning)
        let status = try farm.farmctl(["status", "--json"])
        #expect(status.status == 0, "\(status.stderr)")
    }

    @Test func cancelledJobWritesNothing() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        try farm.startWorker()
        let job = try #require(try farm.submit(Self.long + ["--run", "cancelled"]).job)
        _ = try waitForRendering(farm)
        let cancel = try farm.farmctl(["cancel", job.id])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        try farm.waitUntil("the worker to go idle") { try farm.workersReport().allSatisfy { $0.state == .idle } }
        let after = try farm.status(job.id)
        #expect(after.state == .cancelled)
        #expect(farm.clipFiles(after).isEmpty)
    }

    @Test(arguments: [
        (["--run", "../escape"], "run"),
        (["--run", "a/b"], "run"),
        (["--workflow", ".."], "workflow"),
        (["--task", "../../etc"], "task"),
        (["--run", ""], "run"),
    ] as [([String], String)])
    func namesThatEscapeTheLogsRootAreRefused(arguments: [String], field: String) throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        var options = Self.small + ["--steps", "20", "--video_length", "5", "--video_interval", "10"]
        if !arguments.contains("--run") { options += ["--run", "fine"] }
        let result = try farm.farmctl(["submit", "--task", "Isaac-Cartpole-v0", "--builtin", "cartpole"] + options + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(field), "\(result.stderr)")
        let created = FileManager.default.enumerator(atPath: farm.directory.path)?.allObjects.compactMap { $0 as? String } ?? []
        #expect(!created.contains { $0.hasSuffix(".mp4") || $0.contains("escape") })
    }

    @Test func sigtermDrainsTheWorkerAfterItsClip() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        let worker = try farm.startWorker()
        let job = try #require(try farm.submit(Self.long + ["--run", "drain"]).job)
        _ = try waitForRendering(farm)
        kill(worker.processIdentifier, SIGTERM)
        worker.waitUntilExit()
        #expect(worker.terminationReason == .exit && worker.terminationStatus == 0)
        try farm.waitUntil("the drained clip to be filed") { try farm.status(job.id).state == .completed }
        try expectValidClip("\(try farm.status(job.id).videoDir)/rl-video-step-0.mp4", frames: 400, width: 640, height: 360)
    }
}

/// The field of `farmctl plan --json` these tests compare with what landed.
private struct PlannedFile: Decodable {
    let file: String
}
