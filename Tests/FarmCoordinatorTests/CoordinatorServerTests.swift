import FarmCore
import FarmHarness
import FarmWire
import Foundation
import Logging
import Testing
@testable import FarmCoordinator

/// A real coordinator on loopback with free ports, driven by a fake worker and a client made of
/// plain DEALER sockets. Waits are blocking receives with a deadline, never sleeps.
final class LiveFarm {
    let directory: TemporaryDirectory
    let served: InProcessCoordinator
    let context: ZMQContext
    var coordinator: Coordinator { served.coordinator }

    init(policy: SchedulerPolicy = SchedulerPolicy(), limits: WireLimits = .standard,
         directory reused: TemporaryDirectory? = nil, security: CoordinatorSecurity? = nil,
         monitor: (any CoordinatorMonitor)? = nil, uploadLimits: UploadLimits = .standard,
         queueLimits: QueueLimits = .standard, failedRolloutRetention: FailedRolloutRetention = .standard) throws {
        let directory = try reused ?? TemporaryDirectory()
        self.directory = directory
        var logger = Logger(label: "farm.coordinator.test")
        logger.logLevel = .error
        var config = CoordinatorConfig(
            stateDirectory: directory.appending("state"), logsRoot: directory.appending("logs"), policy: policy,
            limits: limits, uploadLimits: uploadLimits, queueLimits: queueLimits, security: security)
        config.failedRolloutRetention = failedRolloutRetention
        served = try InProcessCoordinator(config: config, logger: logger,
            monitor: monitor,
            onStop: { Issue.record("coordinator stopped: \($0)") })
        context = try ZMQContext()
    }

    deinit { shutDown() }

    /// Stops the coordinator and waits for its thread to return (idempotent).
    func shutDown() { served.shutDown() }

    func dealer(identity: String? = nil, to endpoint: String) throws -> ZMQSocket {
        let socket = try ZMQSocket(context: context, kind: .dealer)
        if let identity { try socket.setIdentity(Data(identity.utf8)) }
        try socket.connect(endpoint)
        return socket
    }

    func client() throws -> ZMQSocket { try dealer(to: coordinator.clientEndpoint) }

    func request(_ client: ZMQSocket, _ request: ClientRequest) throws -> ClientReply {
        try client.send(request.frames, wait: true)
        return try ClientReply.parse(try #require(try client.receive(timeout: .seconds(10))))
    }

    func raw(_ client: ZMQSocket, _ frames: [Data]) throws -> ClientReply {
        try client.send(frames, wait: true)
        return try ClientReply.parse(try #require(try client.receive(timeout: .seconds(10))))
    }

    static func rolloutFile(steps: Int) throws -> Data {
        let header = RolloutHeader(stepDT: 1.0 / 60, steps: steps, numBodies: 1, numEnvs: 1, envSpacing: 4,
                                   shapes: [ShapeSpec(geometry: .box(halfExtents: Vec3(0.5, 0.5, 0.5)), body: 0)])
        let pose: [Float] = [0, 0, 1, 0, 0, 0, 1]
        return try RolloutWriter.encode(header: header, bodyQ: Array((0..<steps).map { _ in pose }.joined()))
    }

    static func submit(run: String = "run1", steps: Int = 120, length: Int = 10, interval: Int = 50) throws -> ClientRequest {
        .submit(SubmitJob(workflow: "rl_games", task: "Isaac-Cartpole-v0", run: run, videoLength: length,
                          videoInterval: interval, backendInputs: BackendInputs(presets: ["newton_mjwarp"])),
                rollout: try rolloutFile(steps: steps))
    }
}

/// A worker that answers by hand.
struct FakeWorker {
    let id: String
    let socket: ZMQSocket

    /// Registers as `id`; `extraReadyFields` are added to READY's JSON body as sent on the wire.
    init(_ id: String, farm: LiveFarm, extraReadyFields: [String: Any] = [:]) throws {
        self.id = id
        socket = try farm.dealer(identity: id, to: farm.coordinator.workerEndpoint)
        let ready = Ready(workerId: id, host: "testhost", pid: 4242, device: .none, backends: [.newtonGL, .kit],
                          encoders: ["libx264"], version: "test")
        var frames = WorkerMessage.ready(ready).frames
        if !extraReadyFields.isEmpty, let body = frames.indices.last {
            var object = try #require(try JSONSerialization.jsonObject(with: frames[body]) as? [String: Any])
            object.merge(extraReadyFields) { _, extra in extra }
            frames[body] = try JSONSerialization.data(withJSONObject: object)
        }
        try socket.send(frames, wait: true)
    }

    /// The next message other than a heartbeat.
    func next() throws -> CoordinatorMessage {
        while true {
            let frames = try #require(try socket.receive(timeout: .seconds(10)), "worker \(id) heard nothing")
            let message = try CoordinatorMessage.parse(frames)
            if case .heartbeat = message { continue }
            return message
        }
    }

    func task() throws -> TaskAssignment {
        let message = try next()
        guard case let .task(task, rollout) = message else {
            throw TestFailure("worker \(id) expected TASK, got \(message.command)")
        }
        #expect(rollout.rollout.header.stepRange.lowerBound == task.steps.first)
        return task
    }

    /// Sends RESULT with `bytes`, by default the stand-in clip of the task's shape.
    func finish(_ task: TaskAssignment, bytes: Data? = nil) throws {
        let bytes = try bytes ?? TinyClips.clip(for: task)
        let stats = ClipStats(frames: task.steps.count, fps: task.fps, wallMs: 1, bytes: bytes.count)
        try socket.send(WorkerMessage.result(TaskResult(jobId: task.jobId, clipId: task.clipId, attempt: task.attempt,
                                                        stats: stats), mp4: bytes).frames, wait: true)
    }

    /// Returns once the coordinator has handled everything this worker sent before: a malformed
    /// message is answered with an ERROR, and one peer's messages are handled in order.
    func barrier() throws {
        try socket.send([Data(ProtocolVersion.header.utf8), Data("HEARTBEAT".utf8), Data("{".utf8)], wait: true)
        while true {
            if case .error = try next() { return }
        }
    }

    func beat(_ task: TaskAssignment?, done: Int = 0) throws {
        let beat = WorkerHeartbeat(state: task == nil ? .idle : .rendering, jobId: task?.jobId, clipId: task?.clipId,
                                   attempt: task?.attempt, framesDone: done, framesTotal: task?.steps.count ?? 0,
                                   fps: 50, rssBytes: 1 << 20)
        try socket.send(WorkerMessage.heartbeat(beat).frames, wait: true)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite(.serialized) struct CoordinatorServerTests {
    @Test func jobRunsToCompletionAndClipsLandInTheRunsVideoFolder() throws {
        let farm = try LiveFarm()
        #expect(FileManager.default.fileExists(atPath: farm.directory.appending("logs")),
                "the logs root exists from the start: a trainer on this machine links clips from it")
        let worker = try FakeWorker("w1", farm: farm)
        let client = try farm.client()
        guard case .ok(let submitted) = try farm.request(client, try LiveFarm.submit()) else {
            Issue.record("submit refused"); return
        }
        let job = try #require(submitted.job)
        #expect(job.clipsTotal == 3)
        #expect(job.backend == .newtonGL)

        var files: [String] = []
        var sent: [String: Data] = [:]
        for _ in 0..<3 {
            let task = try worker.task()
            #expect(task.fps == FrameRate(numerator: 60, denominator: 1))
            #expect(task.camera.eye == Vec3(8, 0, 5))
            try worker.beat(task, done: 5)
            let clip = try TinyClips.clip(for: task, variant: task.clipId)
            try worker.finish(task, bytes: clip)
            files.append(task.clipFile)
            sent[task.clipFile] = clip
        }
        #expect(files == ["rl-video-step-0.mp4", "rl-video-step-50.mp4", "rl-video-step-100.mp4"])

        guard case .ok(let status) = try farm.request(client, .status(StatusQuery(jobId: job.id))),
              let record = status.job else { Issue.record("status failed"); return }
        #expect(record.state == .completed)
        #expect(record.clips?.map(\.state) == [.done, .done, .done])
        let video = farm.directory.appending("logs/rl_games/Isaac-Cartpole-v0/run1/videos/train")
        #expect(record.videoDir == video)
        #expect(try FileManager.default.contentsOfDirectory(atPath: video).sorted()
            == ["rl-video-step-0.mp4", "rl-video-step-100.mp4", "rl-video-step-50.mp4"])
        for (file, clip) in sent { #expect(FileManager.default.contents(atPath: video + "/" + file) == clip) }
        #expect(Set(sent.values).count == 3, "the three clips differ, so each landed at its own name")

        guard case .ok(let listing) = try farm.request(client, .workers(WorkersQuery())),
              let workers = listing.workers else { Issue.record("workers failed"); return }
        #expect(workers.map(\.id) == ["w1"])
        #expect(workers.first?.state == .idle)
        #expect(workers.first?.pid == 4242)

        let log = try String(contentsOfFile: farm.directory.appending("state/heartbeats.jsonl"), encoding: .utf8)
        #expect(log.split(separator: "\n").count == 3)
    }

    @Test func garbageGetsErrorRepliesAndTheCoordinatorKeepsServing() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        let cases: [([Data], ErrorCode)] = [
            ([Data("garbage".utf8)], .malformedMessage),
            ([Data("FARM99".utf8), Data("STATUS".utf8), Data("{}".utf8)], .versionMismatch),
            ([Data(ProtocolVersion.header.utf8), Data("LAUNCH".utf8), Data("{}".utf8)], .unknownCommand),
            ([Data(ProtocolVersion.header.utf8), Data("STATUS".utf8), Data("{not json".utf8)], .badRequest),
            ([Data(ProtocolVersion.header.utf8), Data("SUBMIT".utf8), Data("{}".utf8)], .badRequest),
        ]
        for (frames, code) in cases {
            guard case .error(let reply) = try farm.raw(client, frames) else { Issue.record("no error for \(code)"); continue }
            #expect(reply.code == code)
        }
        // A raw worker peer sending garbage gets an ERROR too.
        let peer = try farm.dealer(identity: "junk", to: farm.coordinator.workerEndpoint)
        try peer.send([Data(ProtocolVersion.header.utf8), Data("RESULT".utf8), Data("[]".utf8)], wait: true)
        let reply = try CoordinatorMessage.parse(try #require(try peer.receive(timeout: .seconds(10))))
        guard case .error(let error) = reply else { Issue.record("worker garbage not answered"); return }
        #expect(error.code == .malformedMessage, "RESULT without its MP4 frame")

        guard case .ok(let status) = try farm.request(client, .status(StatusQuery())) else {
            Issue.record("coordinator stopped serving"); return
        }
        #expect(status.jobs == [])
        guard case .error(let missing) = try farm.request(client, .status(StatusQuery(jobId: "42"))) else {
            Issue.record("unknown job found"); return
        }
        #expect(missing.code == .notFound)
    }

    @Test func escapingNamesAndUnresolvableBackendsAreRefusedAtSubmission() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        guard case .error(let escape) = try farm.request(client, try LiveFarm.submit(run: "../../etc")) else {
            Issue.record("escape accepted"); return
        }
        #expect(escape.code == .invalidJob)
        var job = SubmitJob(workflow: "rl_games", task: "Isaac-Cartpole-v0", run: "r", videoLength: 10, videoInterval: 50,
                            backendInputs: BackendInputs(physics: "MujocoManager"))
        job.uploadId = nil
        guard case .error(let seed) = try farm.request(client, .submit(job, rollout: try LiveFarm.rolloutFile(steps: 60))) else {
            Issue.record("unresolvable backend accepted"); return
        }
        #expect(seed.message.hasPrefix("Video recording (--video) requires a supported backend"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: farm.directory.appending("logs")).isEmpty,
                "a refused job makes no folder")
    }

    @Test func chunkedUploadSubmits() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        let bytes = try LiveFarm.rolloutFile(steps: 60)
        guard case .ok(let begun) = try farm.request(client, .uploadBegin(UploadBegin(totalBytes: bytes.count))),
              let upload = begun.upload else { Issue.record("upload refused"); return }
        var offset = 0
        while offset < bytes.count {
            let chunk = bytes[offset..<min(offset + 1000, bytes.count)]
            guard case .ok = try farm.request(client, .uploadChunk(UploadChunk(uploadId: upload.uploadId, offset: offset),
                                                                  bytes: Data(chunk))) else {
                Issue.record("chunk refused"); return
            }
            offset += chunk.count
        }
        let job = SubmitJob(workflow: "rl_games", task: "Isaac-Cartpole-v0", run: "up", videoLength: 10, videoInterval: 50,
                            backendInputs: BackendInputs(presets: ["newton_mjwarp"]), uploadId: upload.uploadId)
        guard case .ok(let submitted) = try farm.request(client, .submit(job, rollout: nil)) else {
            Issue.record("submit by upload refused"); return
        }
        #expect(submitted.job?.clipsTotal == 2)
    }

    @Test func cancelledJobWritesNothingEvenIfAResultArrives() throws {
        let farm = try LiveFarm()
        let worker = try FakeWorker("w1", farm: farm)
        let client = try farm.client()
        guard case .ok(let submitted) = try farm.request(client, try LiveFarm.submit(run: "cancelme")),
              let job = submitted.job else { Issue.record("submit refused"); return }
        let task = try worker.task()
        guard case .ok(let cancelled) = try farm.request(client, .cancelJob(CancelJob(jobId: job.id))) else {
            Issue.record("cancel refused"); return
        }
        #expect(cancelled.job?.state == .cancelled)
        guard case .cancel(let cancel) = try worker.next() else { Issue.record("worker got no CANCEL"); return }
        #expect(cancel.clipId == task.clipId && cancel.attempt == task.attempt)
        try worker.finish(task)
        try worker.barrier()
        #expect(!FileManager.default.fileExists(atPath: farm.directory.appending("logs/rl_games/Isaac-Cartpole-v0/cancelme")))
    }

    @Test func silentWorkersClipGoesToAnotherWorker() throws {
        let farm = try LiveFarm(policy: SchedulerPolicy(liveness: Liveness(interval: 0.1, missedBeats: 3)))
        let silent = try FakeWorker("silent", farm: farm)
        let client = try farm.client()
        guard case .ok = try farm.request(client, try LiveFarm.submit(run: "lost", steps: 10, length: 5, interval: 100)) else {
            Issue.record("submit refused"); return
        }
        let first = try silent.task()
        let rescuer = try FakeWorker("rescuer", farm: farm)
        // The rescuer keeps beating; the silent worker says nothing, and is lost after 0.3 s.
        var task: TaskAssignment?
        while task == nil {
            try rescuer.beat(nil)
            if let frames = try rescuer.socket.receive(timeout: .milliseconds(100)),
               case let .task(assignment, _) = try CoordinatorMessage.parse(frames) {
                task = assignment
            }
        }
        #expect(task?.clipId == first.clipId)
        #expect(task?.attempt == 2)
        try silent.finish(first)   // late: dropped
        try silent.barrier()
        try rescuer.finish(try #require(task))
        try rescuer.barrier()
        guard case .ok(let status) = try farm.request(client, .status(StatusQuery(jobId: first.jobId))),
              let job = status.job else { return }
        #expect(job.clips?.first?.attempts == 2)
    }

    @Test func restartedCoordinatorFinishesTheJobWithTheReturningWorker() throws {
        var first: LiveFarm? = try LiveFarm()
        let directory = try #require(first?.directory)
        let worker = try FakeWorker("w1", farm: try #require(first))
        let client = try #require(first).client()
        guard case .ok(let submitted) = try #require(first).request(client, try LiveFarm.submit(run: "restart")),
              let job = submitted.job else { Issue.record("submit refused"); return }
        let task = try worker.task()
        first?.shutDown()
        first = nil

        // A new coordinator on the same state directory; the worker, still rendering, reconnects.
        let second = try LiveFarm(directory: directory)
        let returning = try FakeWorker("w1", farm: second)
        try returning.beat(task, done: 3)
        try returning.finish(task)
        for _ in 0..<2 { try returning.finish(try returning.task()) }
        try returning.barrier()
        let newClient = try second.client()
        guard case .ok(let status) = try second.request(newClient, .status(StatusQuery(jobId: job.id))),
              let record = status.job else { Issue.record("status failed"); return }
        #expect(record.state == .completed)
        #expect(record.clips?.map(\.attempts) == [1, 1, 1], "the clip in flight across the restart kept its attempt")
    }

    @Test func secondCoordinatorOnTheSameStateDirectoryIsRefused() throws {
        let farm = try LiveFarm()
        #expect(throws: CoordinatorError.self) {
            try Coordinator(config: CoordinatorConfig(stateDirectory: farm.directory.appending("state"),
                                                      logsRoot: farm.directory.appending("logs")))
        }
    }

    @Test func oversizedFramesAreRefusedWithAReply() throws {
        let farm = try LiveFarm(limits: WireLimits(maxJSONBytes: 1024, maxBinaryFrameBytes: 4096))
        let client = try farm.client()
        let big = Data("{\"job_id\": \"\(String(repeating: "7", count: 2000))\"}".utf8)
        guard case .error(let json) = try farm.raw(client, [Data(ProtocolVersion.header.utf8), Data("STATUS".utf8), big]) else {
            Issue.record("oversized JSON accepted"); return
        }
        #expect(json.code == .frameTooLarge)
        guard case .error(let rollout) = try farm.request(client, try LiveFarm.submit(steps: 600)) else {
            Issue.record("oversized rollout accepted"); return
        }
        #expect(rollout.code == .frameTooLarge)
        guard case .ok = try farm.request(client, .workers(WorkersQuery())) else { Issue.record("stopped serving"); return }
    }
}
