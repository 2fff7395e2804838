import FarmCore
import FarmHarness
import FarmWire
@testable import FarmWorker
import Foundation
import Testing

@Suite struct WorkerDaemonTests {
    @Test func announcesItselfThenBeatsAndLeavesOnDrain() throws {
        let coordinator = try FakeCoordinator()
        let healthFile = NSTemporaryDirectory() + "farm-health-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: healthFile) }
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator, healthFile: healthFile),
                                      producerFactory: { StandInClipProducer() })
        let worker = RunningWorker(daemon)

        let ready = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }
        guard case .ready(let body) = ready.message else { return }
        // `<worker id>/<32 random hex digits>`: its own id, and no other peer can guess the route.
        #expect(WorkerIdentity.workerId(fromRoutingIdentity: ready.identity) == body.workerId)
        #expect(ready.identity.count == body.workerId.utf8.count + 33)
        #expect(body.pid == Int(ProcessInfo.processInfo.processIdentifier))
        #expect(body.device.kind == "none")
        #expect(body.backends == [.kit, .newtonGL])

        for _ in 0..<2 {
            let beat = try coordinator.expect("HEARTBEAT") { if case .heartbeat = $0 { true } else { false } }
            guard case .heartbeat(let heartbeat) = beat.message else { return }
            #expect(heartbeat.state == .idle && heartbeat.rssBytes > 0)
        }
        // The coordinator has answered (our echoed beats): the next tick says connected.
        let deadline = ContinuousClock.now + .seconds(5)
        var health: WorkerHealth?
        while ContinuousClock.now < deadline, health?.connected != true {
            _ = try coordinator.next(within: .milliseconds(50))
            health = try? JSONDecoder().decode(WorkerHealth.self, from: Data(contentsOf: URL(fileURLWithPath: healthFile)))
        }
        let written = try #require(health)
        #expect(written.connected && written.worker == body.workerId && written.state == .idle)
        #expect(abs(written.time - Date().timeIntervalSince1970) < 5)
        #expect(try String(contentsOfFile: healthFile, encoding: .utf8).contains(#""connected":true"#))

        daemon.requestDrain()
        _ = try coordinator.expect("DISCONNECT") { if case .disconnect = $0 { true } else { false } }
        #expect(try #require(worker.exit()).isSuccess)
    }

    @Test func heartbeatsCarryProgressWhileAClipRendersThenTheResultArrives() throws {
        let coordinator = try FakeCoordinator()
        let gate = Gate()
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator), producerFactory: { GatedProducer(gate: gate) })
        let worker = RunningWorker(daemon)
        let ready = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }
        try coordinator.send(Sample.task(frames: 5), to: ready.identity)

        // The producer is stuck after frame 1: beats keep coming, saying so.
        for _ in 0..<3 {
            let beat = try coordinator.expect("a rendering HEARTBEAT") {
                if case .heartbeat(let h) = $0, h.state == .rendering, h.framesDone == 1 { true } else { false }
            }
            guard case .heartbeat(let heartbeat) = beat.message else { return }
            #expect(heartbeat.jobId == "job-1" && heartbeat.clipId == 1 && heartbeat.attempt == 1)
            #expect(heartbeat.framesTotal == 5 && heartbeat.fps == 30)
        }
        gate.release()
        let result = try coordinator.expect("RESULT") { if case .result = $0 { true } else { false } }
        guard case .result(let body, let mp4) = result.message else { return }
        #expect(body.jobId == "job-1" && body.clipId == 1 && body.attempt == 1)
        #expect(body.stats.frames == 5 && body.stats.fps == FrameRate(numerator: 60, denominator: 1))
        #expect(mp4 == GatedProducer.clip && body.stats.bytes == mp4.count)
        #expect(!FileManager.default.fileExists(atPath: try #require(gate.path)))
        _ = try coordinator.expect("an idle HEARTBEAT") { if case .heartbeat(let h) = $0, h.state == .idle { true } else { false } }

        daemon.requestDrain()
        #expect(try #require(worker.exit()).isSuccess)
    }

    @Test func cancelAbandonsTheClipAndSendsNothing() throws {
        let coordinator = try FakeCoordinator()
        let gate = Gate()
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator), producerFactory: { GatedProducer(gate: gate) })
        let worker = RunningWorker(daemon)
        let ready = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }
        try coordinator.send(Sample.task(clipId: 7, attempt: 2), to: ready.identity)
        _ = try coordinator.expect("a rendering HEARTBEAT") { if case .heartbeat(let h) = $0, h.state == .rendering { true } else { false } }

        // A CANCEL for another attempt is ignored; the right one abandons the clip.
        try coordinator.send(.cancel(CancelTask(jobId: "job-1", clipId: 7, attempt: 1)), to: ready.identity)
        _ = try coordinator.expect("still rendering") { if case .heartbeat(let h) = $0, h.state == .rendering { true } else { false } }
        try coordinator.send(.cancel(CancelTask(jobId: "job-1", clipId: 7, attempt: 2)), to: ready.identity)
        let deadline = ContinuousClock.now + .seconds(5)
        var idle = false
        while !idle, ContinuousClock.now < deadline, let received = try coordinator.next(within: deadline - .now) {
            switch received.message {
            case .result, .failed: Issue.record("a cancelled clip sent \(received.message.command)")
            case .heartbeat(let h): idle = h.state == .idle
            default: break
            }
        }
        #expect(idle)
        #expect(!FileManager.default.fileExists(atPath: try #require(gate.path)))
        daemon.requestDrain()
        #expect(try #require(worker.exit()).isSuccess)
    }

    @Test func aSilentCoordinatorIsLeftAndReconnectedWithBackoff() throws {
        let coordinator = try FakeCoordinator()
        let backoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .milliseconds(400), random: { 1 })
        coordinator.echoHeartbeats = false
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator, interval: .milliseconds(40), liveness: 20, connect: 3,
                                                                          backoff: backoff),
                                      producerFactory: { StandInClipProducer() })
        let worker = RunningWorker(daemon)
        // Never answer: each READY comes on a fresh connection after the connect allowance (3
        // intervals; the liveness timeout does not apply before the first answer) plus the backoff.
        var readies: [FakeCoordinator.Received] = []
        for _ in 0..<4 {
            readies.append(try coordinator.expect("READY") { if case .ready = $0 { true } else { false } })
        }
        #expect(Set(readies.map(\.identity)).count == 1, "the worker keeps its identity across reconnects")
        let gaps = zip(readies.dropFirst(), readies).map { $0.at - $1.at }
        // Arrival times, so a READY delayed by a loaded machine shortens the next gap: the slack
        // still tells 100, 200 and 400 ms of backoff apart.
        let liveness = Duration.milliseconds(120), slack = Duration.milliseconds(60)
        #expect(gaps[0] >= liveness + .milliseconds(100) - slack)
        #expect(gaps[1] >= liveness + .milliseconds(200) - slack)
        #expect(gaps[2] >= liveness + .milliseconds(400) - slack)

        // Hearing from the coordinator again ends the backoff. A worker that already left that
        // connection (the test thread was late) is answered on its next READY.
        var heard = false
        while !heard {
            do {
                try coordinator.send(.heartbeat(CoordinatorHeartbeat()), to: readies[3].identity)
                heard = true
            } catch {
                readies[3] = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }
            }
        }
        daemon.requestDrain()
        _ = try coordinator.expect("DISCONNECT") { if case .disconnect = $0 { true } else { false } }
        #expect(try #require(worker.exit()).isSuccess)
    }

    /// A coordinator that answered and then fell silent is left after the liveness timeout; the
    /// backoff would then run 30 s, but the probe finds the port accepting (a healed partition)
    /// and the worker is back within the capped wait.
    @Test func aHealedCoordinatorIsRedialledWithinTheAnsweredCap() throws {
        let coordinator = try FakeCoordinator()
        let backoff = ReconnectBackoff(initial: .seconds(30), maximum: .seconds(30), answered: .milliseconds(100), random: { 1 })
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator, interval: .milliseconds(50), liveness: 4, backoff: backoff),
                                      producerFactory: { StandInClipProducer() })
        let worker = RunningWorker(daemon)
        var first = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }
        // On a loaded machine the worker may give up on a connection (200 ms here) before its READY
        // is read, and dial again as another identity: answer the READY that is still connected.
        while true {
            do {
                try coordinator.send(.heartbeat(CoordinatorHeartbeat()), to: first.identity)
                break
            } catch let error as SocketError where error.isUnroutable {
                first = try coordinator.expect("READY on a new connection") { if case .ready = $0 { true } else { false } }
            }
        }
        coordinator.echoHeartbeats = false
        let second = try coordinator.expect(within: .seconds(10), "READY again") { if case .ready = $0 { true } else { false } }
        // 4 silent intervals, then at most a few heartbeat ticks of probing and the 100 ms cap.
        #expect(second.at - first.at < .seconds(3), "back in \(second.at - first.at), not after the 30 s backoff")
        coordinator.echoHeartbeats = true
        daemon.requestDrain()
        _ = try coordinator.expect("DISCONNECT") { if case .disconnect = $0 { true } else { false } }
        #expect(try #require(worker.exit()).isSuccess)
    }

    @Test func notRegisteredMakesTheWorkerAnnounceItselfAgain() throws {
        let coordinator = try FakeCoordinator()
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator), producerFactory: { StandInClipProducer() })
        let worker = RunningWorker(daemon)
        let ready = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }
        try coordinator.send(.error(ErrorReply(code: .notRegistered, message: "who are you?")), to: ready.identity)
        _ = try coordinator.expect("READY again") { if case .ready = $0 { true } else { false } }
        daemon.requestDrain()
        #expect(try #require(worker.exit()).isSuccess)
    }

    @Test func aVersionMismatchIsFatal() throws {
        let coordinator = try FakeCoordinator()
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator), producerFactory: { StandInClipProducer() })
        let worker = RunningWorker(daemon)
        let ready = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }
        let reply = ErrorReply(code: .versionMismatch, message: "this coordinator speaks FARM02", supportedVersions: [2])
        try coordinator.sendRaw([Data("FARM02".utf8), Data("ERROR".utf8), WireJSON.encode(reply)], to: ready.identity)
        let exit = try #require(worker.exit())
        guard case .failure(.versionMismatch(let message)) = exit else { Issue.record("exit was \(exit)"); return }
        #expect(message.contains("FARM02"))
    }

    @Test func aDeviceThatCannotStartIsFatalWithItsReason() throws {
        let coordinator = try FakeCoordinator()
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator), producerFactory: { throw BrokenDevice() })
        let exit = try #require(RunningWorker(daemon).exit())
        guard case .failure(let error) = exit else { Issue.record("started without a device"); return }
        #expect(error.description.contains("CUDA ordinal 3"))
        #expect(try coordinator.next(within: .milliseconds(100)) == nil, "nothing was sent")
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        let name: String
        let inputs: BackendInputs
        let served: [VideoBackend]
        let retryable: Bool
        let error: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Refusal(name: "no supported backend", inputs: BackendInputs(physics: "MujocoManager"), served: VideoBackend.allCases,
                retryable: false, error: "Video recording (--video) requires a supported backend"),
        Refusal(name: "bad backend source", inputs: BackendInputs(presets: ["physx"], backendSource: "camera"), served: VideoBackend.allCases,
                retryable: false, error: "VideoRecorderCfg.backend_source must be either 'visualizer' or 'renderer'."),
        Refusal(name: "unknown preset", inputs: BackendInputs(presets: ["warp_drive"]), served: VideoBackend.allCases,
                retryable: false, error: "warp_drive"),
        Refusal(name: "backend this worker lacks", inputs: BackendInputs(presets: ["physx"]), served: [.newtonGL],
                retryable: true, error: "serves newton_gl, not kit"),
    ])
    func tasksItCannotServeAreRefusedWithTheReason(_ refusal: Refusal) throws {
        let coordinator = try FakeCoordinator()
        let gate = Gate()
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator),
                                      producerFactory: { GatedProducer(gate: gate, backends: refusal.served) })
        let worker = RunningWorker(daemon)
        let ready = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }
        try coordinator.send(Sample.task(clipId: 4, attempt: 3, inputs: refusal.inputs), to: ready.identity)
        let failed = try coordinator.expect("FAILED") { if case .failed = $0 { true } else { false } }
        guard case .failed(let body) = failed.message else { return }
        #expect(body.clipId == 4 && body.attempt == 3)
        #expect(body.retryable == refusal.retryable)
        #expect(body.error.contains(refusal.error), "\(body.error)")
        daemon.requestDrain()
        #expect(try #require(worker.exit()).isSuccess)
    }

    @Test func aSecondTaskWhileBusyIsRefusedAsRetryable() throws {
        let coordinator = try FakeCoordinator()
        let gate = Gate()
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator), producerFactory: { GatedProducer(gate: gate) })
        let worker = RunningWorker(daemon)
        let ready = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }
        try coordinator.send(Sample.task(clipId: 1), to: ready.identity)
        try coordinator.send(Sample.task(clipId: 2), to: ready.identity)
        let failed = try coordinator.expect("FAILED") { if case .failed = $0 { true } else { false } }
        guard case .failed(let body) = failed.message else { return }
        #expect(body.clipId == 2 && body.retryable && body.error.contains("busy"))
        gate.release()
        _ = try coordinator.expect("RESULT of clip 1") { if case .result(let r, _) = $0, r.clipId == 1 { true } else { false } }
        daemon.requestDrain()
        #expect(try #require(worker.exit()).isSuccess)
    }

    @Test func malformedCoordinatorMessagesGetRepliesNotCrashes() throws {
        let coordinator = try FakeCoordinator()
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator), producerFactory: { StandInClipProducer() })
        let worker = RunningWorker(daemon)
        let ready = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }

        try coordinator.sendRaw([Data([0xde, 0xad])], to: ready.identity)
        let garbage = try coordinator.expect("ERROR") { if case .error = $0 { true } else { false } }
        guard case .error(let reply) = garbage.message else { return }
        #expect(reply.code == .malformedMessage)

        // A TASK whose ids are readable but whose rollout is missing is FAILED, not retryable.
        let task = Sample.task(clipId: 9, attempt: 1).frames
        try coordinator.sendRaw(Array(task.prefix(3)), to: ready.identity)
        let failed = try coordinator.expect("FAILED") { if case .failed = $0 { true } else { false } }
        guard case .failed(let body) = failed.message else { return }
        #expect(body.clipId == 9 && !body.retryable && body.error.contains("binary frame"))

        // Still serving.
        try coordinator.send(Sample.task(clipId: 10), to: ready.identity)
        _ = try coordinator.expect("RESULT") { if case .result(let r, _) = $0, r.clipId == 10 { true } else { false } }
        daemon.requestDrain()
        #expect(try #require(worker.exit()).isSuccess)
    }

    @Test func drainingFinishesTheClipSendsItThenLeaves() throws {
        let coordinator = try FakeCoordinator()
        let gate = Gate()
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator), producerFactory: { GatedProducer(gate: gate) })
        let worker = RunningWorker(daemon)
        let ready = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }
        try coordinator.send(Sample.task(clipId: 5), to: ready.identity)
        _ = try coordinator.expect("rendering") { if case .heartbeat(let h) = $0, h.state == .rendering { true } else { false } }
        daemon.requestDrain()
        _ = try coordinator.expect("a draining HEARTBEAT") { if case .heartbeat(let h) = $0, h.state == .draining, h.clipId == 5 { true } else { false } }
        #expect(worker.exit(within: .milliseconds(100)) == nil, "still finishing its clip")
        try coordinator.send(Sample.task(clipId: 6), to: ready.identity)
        let refused = try coordinator.expect("FAILED for the new task") { if case .failed = $0 { true } else { false } }
        guard case .failed(let body) = refused.message else { return }
        #expect(body.clipId == 6 && body.retryable && body.error.contains("draining"))
        gate.release()
        _ = try coordinator.expect("RESULT") { if case .result(let r, _) = $0, r.clipId == 5 { true } else { false } }
        _ = try coordinator.expect("DISCONNECT") { if case .disconnect = $0 { true } else { false } }
        #expect(try #require(worker.exit()).isSuccess)
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
