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
        ("gymnasium step_dt 5e-324", "gymnasium", .leastNonzeroMagnitude, nil, nil, "step_dt is 5e-324"),
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

    /// TASKs a coordinator would never send, sent by a coordinator-shaped peer to a real worker:
    /// each is refused with FAILED (not retryable) and the worker keeps serving.
    static let overLimitTasks: [(String, @Sendable (inout TaskAssignment) -> Void, String)] = [
        ("a 16384x16384 frame", { $0.width = 16384; $0.height = 16384 }, "macroblocks"),
        ("an odd width", { $0.width = 63 }, "even number of pixels"),
        ("fps 2^31", { $0.fps = FrameRate(numerator: 1 << 31, denominator: 1) }, "fps is 2147483648"),
        ("an eye at 1e39", { $0.camera.eye = Vec3(1e39, 0, 0) }, "more than 1000000.0 m"),
        ("eye and lookat equal in single precision",
         { $0.camera.eye = Vec3(1, 2, 3); $0.camera.lookat = Vec3(1, 2, 3.00000001) }, "less than"),
        ("more frames than a clip may have", { $0.steps = Array(repeating: 0, count: SubmissionLimits.standard.maxFramesPerClip + 1) },
         "at most 100000"),
    ]

    @Test func workerRefusesWhatItsCoordinatorWouldRefuse() throws {
        let farm = try FarmProcesses()
        let context = try ZMQContext()
        let router = try ZMQSocket(context: context, kind: .router)
        defer { router.close() }
        let endpoint = try router.bind("tcp://127.0.0.1:*")
        let worker = try farm.startWorker(["--coordinator", endpoint])

        /// The worker's next message other than a heartbeat (answered, so it stays connected).
        func next(_ what: String) throws -> (identity: Data, message: WorkerMessage) {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                guard let frames = try router.receive(timeout: deadline - .now) else { break }
                let routed = try RoutedMessage(routerFrames: frames)
                let message = try WorkerMessage.parse(routed.payload)
                if case .heartbeat = message {
                    try router.send(RoutedMessage.frames(to: routed.identity,
                                                         payload: CoordinatorMessage.heartbeat(CoordinatorHeartbeat()).frames))
                    continue
                }
                return (routed.identity, message)
            }
            throw FarmProcesses.Failure(description: "timed out waiting for \(what)")
        }

        let ready = try next("READY")
        guard case .ready = ready.message else { throw FarmProcesses.Failure(description: "expected READY, got \(ready.message)") }
        let rollout = try InMemoryRollout(header: Self.header(stepDT: 1.0 / 60, steps: 20), bodyQ: Self.bodyQ(steps: 20))
        let good = TaskAssignment(jobId: "1", clipId: 0, attempt: 1, clipFile: "rl-video-step-0.mp4",
                                  backendInputs: BackendInputs(), camera: TaskCamera(eye: Vec3(4, 0, 2), lookat: Vec3(0, 0, 0)),
                                  width: 64, height: 48, fps: FrameRate(numerator: 60, denominator: 1), steps: Array(0..<20))
        for (index, (name, spoil, phrase)) in Self.overLimitTasks.enumerated() {
            var task = good
            task.clipId = index
            spoil(&task)
            try router.send(RoutedMessage.frames(to: ready.identity,
                                                 payload: CoordinatorMessage.task(task, rollout: RolloutSlice(rollout)).frames))
            let answer = try next("the answer to \(name)")
            guard case .failed(let failure) = answer.message else {
                Issue.record("\(name): expected FAILED, got \(answer.message)")
                continue
            }
            #expect(failure.clipId == index && !failure.retryable, "\(name)")
            #expect(failure.error.contains(phrase), "\(name): \(failure.error)")
            #expect(worker.isRunning, "\(name)")
        }
    }

    /// A clip whose workers are lost mid-clip twice fails as poison, with that reason; the farm
    /// goes on serving other jobs, and `farmctl retry` can still force the clip.
    @Test func clipThatTakesDownTwoWorkersFailsAsPoison() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        var doomed = try farm.startWorker()
        let job = try #require(try farm.submit(FarmFaultTests.long + ["--run", "poison"]).job)
        for round in 1...2 {
            let pid = Int(doomed.processIdentifier)
            try farm.waitUntil("worker \(pid) rendering the clip (round \(round))") {
                try farm.workersReport().contains { $0.pid == pid && $0.state == .rendering && $0.framesDone >= 1 }
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

    /// Finding 4: 997 abandoned UPLOAD_BEGINs once exhausted a 1024-descriptor coordinator (each held
    /// its file open); afterwards clients and workers got no reply. Now one client gets a few, none
    /// holds a descriptor, and the coordinator serves on under the same limit.
    @Test func abandonedUploadsCannotExhaustDescriptors() throws {
        let farm = try FarmProcesses()
        let coordinator = try farm.startCoordinator(descriptorLimit: 1024)
        let context = try ZMQContext()
        let client = try ZMQSocket(context: context, kind: .dealer)
        defer { client.close() }
        try client.connect(farm.clientEndpoint)
        var accepted = 0
        for _ in 0..<1200 {
            try client.send(ClientRequest.uploadBegin(UploadBegin(totalBytes: 1 << 20)).frames)
            let reply = try #require(try client.receive(timeout: .seconds(20)), "no reply to UPLOAD_BEGIN \(accepted)")
            if case .ok = try ClientReply.parse(reply) { accepted += 1 }
        }
        #expect(accepted == 4, "one client holds at most 4 unfinished uploads")
        try farm.startWorker()
        try farm.waitUntil("a worker to register under the descriptor limit") { try farm.workersReport().count == 1 }
        let submitted = try farm.submit(FarmFaultTests.small + ["--steps", "20", "--video_length", "10", "--video_interval", "100",
                                                               "--run", "after-uploads"], wait: true)
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(coordinator.isRunning)
    }

    /// Network: a worker cut off past its liveness timeout while rendering (stopped here, as a
    /// partition stops its packets) comes back still rendering. It used to be taken as idle: sent
    /// its own clip again as attempt 2 (failed "busy", a retry spent) and its attempt 1 cancelled.
    /// Now it gets no TASK until its heartbeat says what it holds, and finishes attempt 1.
    @Test func aWorkerCutOffMidClipRejoinsAndFinishesItsAttempt() throws {
        let farm = try FarmProcesses()
        try farm.startCoordinator()
        let worker = try farm.startWorker()
        let job = try #require(try farm.submit(FarmFaultTests.long + ["--run", "partition"]).job)
        let pid = Int(worker.processIdentifier)
        try farm.waitUntil("the worker rendering") {
            try farm.workersReport().contains { $0.pid == pid && $0.state == .rendering && $0.framesDone >= 1 }
        }
        kill(worker.processIdentifier, SIGSTOP)
        try farm.waitUntil("the coordinator to declare the worker lost") {
            try farm.workersReport().contains { $0.pid == pid && $0.state == .lost }
        }
        kill(worker.processIdentifier, SIGCONT)
        try farm.waitUntil("the job to complete") { try farm.status(job.id).state == .completed }
        let clip = try #require(try farm.status(job.id).clips?.first)
        #expect(clip.state == .done)
        #expect(clip.attempts == 1, "the rejoining worker's attempt was kept, not sent again")
        #expect(clip.error == nil, "\(clip.error ?? "")")
    }

    /// Network: with SUBMIT's reply lost, farmctl said "is farm-coordinator running there?" (wrong:
    /// the job was running) and a re-run made a second job. Now farmctl sends the same SUBMIT (same
    /// idempotency key) again, and says what is known when no reply ever comes.
    @Test func farmctlRetriesASubmitWhoseReplyIsLostWithTheSameKey() throws {
        let farm = try FarmProcesses()
        let context = try ZMQContext()
        let silent = try ZMQSocket(context: context, kind: .router)
        defer { silent.close() }
        let endpoint = try silent.bind("tcp://127.0.0.1:*")
        let client = Process()
        client.executableURL = FarmProcesses.binDirectory.appendingPathComponent("farmctl")
        client.arguments = ["submit", "--coordinator", endpoint, "--timeout", "1", "--task", "Isaac-Cartpole-v0",
                            "--builtin", "cartpole", "--steps", "20", "--num_envs", "4", "--video_length", "10", "--video_interval", "100"]
        let stderrPath = farm.directory.appendingPathComponent("farmctl-submit.err")
        #expect(FileManager.default.createFile(atPath: stderrPath.path, contents: nil))
        client.standardError = try FileHandle(forWritingTo: stderrPath)
        client.standardOutput = FileHandle.nullDevice
        try client.run()
        var keys: [String?] = []
        while keys.count < 3, let frames = try silent.receive(timeout: .seconds(30)) {
            let routed = try RoutedMessage(routerFrames: frames)
            guard case .submit(let job, _) = try ClientRequest.parse(routed.payload) else { continue }
            keys.append(job.idempotencyKey)
        }
        client.waitUntilExit()
        let stderr = (try? String(contentsOf: stderrPath, encoding: .utf8)) ?? ""
        #expect(keys.count == 3)
        #expect(keys.first??.isEmpty == false && Set(keys).count == 1, "\(keys)")
        #expect(client.terminationStatus != 0)
        #expect(stderr.contains("the job may have been accepted; `farmctl status` shows it"), "\(stderr)")
        #expect(!stderr.contains("is farm-coordinator running there"))
        // The message names the key, so re-running the command by hand cannot make a second job.
        let key = try #require(keys.first ?? nil)
        #expect(stderr.contains("run the same command with --idempotency-key \(key)"), "\(stderr)")
    }

    /// A peer with a worker key cannot forge a coordinator log line, a metrics label or a dashboard
    /// row: READY with a worker id that would break a line is refused, naming the field, and free
    /// text a worker sends (a DISCONNECT's reason) is logged on one line, its newline escaped.
    @Test func aWorkerCannotForgeALogLine() throws {
        let farm = try FarmProcesses()
        let coordinator = try farm.startCoordinator()
        let context = try ZMQContext()
        let forger = try ZMQSocket(context: context, kind: .dealer)
        defer { forger.close() }
        try forger.connect(farm.workerEndpoint)
        var ready = Ready(workerId: "w\n2026-01-01T00:00:00+0000 critical forged", host: "h", pid: 1,
                          device: DeviceInfo(eglIndex: nil, kind: "cpu", glVendor: "v", glRenderer: "llvmpipe"),
                          backends: [.kit], encoders: ["libx264"], version: "0")
        try forger.send(WorkerMessage.ready(ready).frames)
        let refusal = try #require(try forger.receive(timeout: .seconds(20)), "no reply to a forged READY")
        guard case .error(let error) = try CoordinatorMessage.parse(refusal) else {
            Issue.record("a worker id with a newline was accepted"); return
        }
        #expect(error.message.contains("worker_id"), "\(error.message)")

        ready.workerId = "honest-1"
        try forger.send(WorkerMessage.ready(ready).frames)
        try forger.send(WorkerMessage.disconnect(Disconnect(reason: "bye\nFORGED critical line")).frames)
        let logName = try #require(try FileManager.default.contentsOfDirectory(atPath: farm.directory.path)
            .first { $0.hasSuffix("-farm-coordinator.log") })
        let log = farm.directory.appendingPathComponent(logName).path
        try farm.waitUntil("the coordinator logs the goodbye") {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("honest-1 leaving")
        }
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("FORGED") || $0.hasPrefix("2026-01-01") }, "\(lines)")
        #expect(lines.contains { $0.contains("leaving: bye\\u{000A}FORGED critical line") }, "\(lines)")
        #expect(coordinator.isRunning)
    }
}
