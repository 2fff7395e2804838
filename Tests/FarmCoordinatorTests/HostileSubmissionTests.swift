import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

/// Issue 10, defects 3–6: submissions that used to hang the coordinator, grow its state without
/// bound, or be accepted and then fail every clip are refused at once, naming what was wrong.
struct HostileSubmissionPlannerTests {
    let planner = SubmissionPlanner(configuration: .builtIn, filer: ClipFiler(logsRoot: "/nonexistent-logs"))

    static func request(run: String = "r", length: Int = 100, interval: Int = 500) -> SubmitJob {
        SubmitJob(workflow: "rl_games", task: "Isaac-Cartpole-v0", run: run, videoLength: length,
                  videoInterval: interval, backendInputs: BackendInputs())
    }

    static func rollout(firstStep: Int = 0, steps: Int, bodies: Int = 0) -> RolloutHeader {
        RolloutHeader(stepDT: 1.0 / 60, firstStep: firstStep, steps: steps, numBodies: bodies, numEnvs: 1,
                      envSpacing: 4, shapes: [])
    }

    /// Each case: the request's knobs, the rollout's steps, and a phrase the refusal must contain.
    static let refused: [(String, SubmitJob, RolloutHeader, String)] = {
        var isaac = request(length: 10, interval: 10)
        isaac.schedule = "isaaclab"
        var hugeOffset = isaac
        hugeOffset.stepOffset = .max
        var hugeStride = isaac
        hugeStride.frameStride = .max
        var negativeStride = isaac
        negativeStride.frameStride = .min
        var retries = request()
        retries.maxRetries = .max
        return [
            ("a clip per step of a billion-step rollout", request(length: 1, interval: 1),
             rollout(steps: 1_000_000_000), "at most 20000 are allowed"),
            ("a billion-frame clip", request(length: 1_000_000_000, interval: 1_000_000_000),
             rollout(steps: 1_000_000_000), "at most 100000"),
            ("video_length Int.max", request(length: .max), rollout(steps: 1000), "video_length is"),
            ("video_interval Int.max", request(interval: .max), rollout(steps: 1000), "video_interval is"),
            ("video_interval 0", request(interval: 0), rollout(steps: 1000), "video_interval is 0"),
            ("step_offset Int.max", hugeOffset, rollout(steps: 1000), "step_offset is"),
            ("frame_stride Int.max", hugeStride, rollout(steps: 1000), "frame_stride is"),
            ("frame_stride Int.min", negativeStride, rollout(steps: 1000), "frame_stride is"),
            ("max_retries Int.max", retries, rollout(steps: 1000), "max_retries is"),
            ("a 5000-byte run name", request(run: String(repeating: "x", count: 5000)), rollout(steps: 1000),
             "5000 bytes"),
            ("a 400-byte run name", request(run: String(repeating: "é", count: 200)), rollout(steps: 1000),
             "400 bytes"),
        ]
    }()

    @Test(arguments: refused)
    func refusedPromptlyWithAClearError(name: String, request: SubmitJob, rollout: RolloutHeader, phrase: String) {
        let started = ContinuousClock.now
        let error = #expect(throws: SubmissionError.self, "\(name)") { try planner.plan(request, rollout: rollout) }
        #expect(error?.message.contains(phrase) == true, "\(name): \(error?.message ?? "accepted")")
        #expect(ContinuousClock.now - started < .seconds(1), "\(name) took \(ContinuousClock.now - started)")
    }

    @Test func framesPerJobAreBounded() {
        let small = SubmissionPlanner(configuration: .builtIn, filer: ClipFiler(logsRoot: "/nonexistent-logs"),
                                      limits: SubmissionLimits(maxFramesPerJob: 250))
        #expect(throws: SubmissionError.self) {
            try small.plan(Self.request(length: 100, interval: 100), rollout: Self.rollout(steps: 300))
        }
        #expect(throws: Never.self) {
            try small.plan(Self.request(length: 100, interval: 100), rollout: Self.rollout(steps: 200))
        }
    }

    /// Relatives that are valid: planned quickly, with only the clips the rollout holds.
    @Test func hugeStepNumbersPlanOnlyTheClipsKept() throws {
        let started = ContinuousClock.now
        let late = try planner.plan(Self.request(length: 100, interval: 500),
                                    rollout: Self.rollout(firstStep: 500_000_000_000_000, steps: 1200))
        #expect(late.clips.count == 3)
        #expect(late.clips.allSatisfy { $0.frames == 100 && $0.steps.first! % 500 == 0 })
        let sparse = try planner.plan(Self.request(length: 10, interval: 1_000_000),
                                      rollout: Self.rollout(steps: 1_000_000_000))
        #expect(sparse.clips.count == 1000)
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    static let frameSizes: [(Int, Int, String)] = [(16384, 16384, "139264"), (8192, 4368, "139264"),
                                                  (16400, 16, "16384"), (1281, 720, "even")]

    @Test(arguments: frameSizes)
    func frameSizesTheEncoderCannotTakeAreRefused(width: Int, height: Int, phrase: String) {
        var request = Self.request()
        request.width = width
        request.height = height
        let error = #expect(throws: SubmissionError.self) { try planner.plan(request, rollout: Self.rollout(steps: 1000)) }
        #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "accepted")")
    }
}

@Suite(.serialized) struct HostileSubmissionServerTests {
    /// A rollout file with a hand-written header (no bodies unless given), as a hostile client sends it.
    static func rollout(_ header: [String: Any], body: Data = Data()) throws -> Data {
        var fields: [String: Any] = ["version": 1, "step_dt": 1.0 / 60, "first_step": 0, "steps": 1, "num_bodies": 0,
                                     "shapes": [[String: Any]]()]
        fields.merge(header) { $1 }
        let json = try JSONSerialization.data(withJSONObject: fields)
        var data = Data(RolloutFormat.magic)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        data.append(body)
        return data
    }

    static func littleEndian(_ values: [Float]) -> Data {
        var data = Data()
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func submit(_ rollout: Data, length: Int = 100, interval: Int = 500, run: String = "r") -> ClientRequest {
        .submit(SubmitJob(workflow: "rl_games", task: "Isaac-Cartpole-v0", run: run, videoLength: length,
                          videoInterval: interval, backendInputs: BackendInputs()), rollout: rollout)
    }

    /// The reply and how long it took.
    static func timed(_ farm: LiveFarm, _ client: ZMQSocket, _ request: ClientRequest) throws -> (ClientReply, Duration) {
        let started = ContinuousClock.now
        let reply = try farm.request(client, request)
        return (reply, ContinuousClock.now - started)
    }

    @Test func theTwoHangingRequestsAreAnsweredPromptly() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        let firstStep = try Self.rollout(["first_step": 1_000_000_000_000_000_000])
        let (reply, took) = try Self.timed(farm, client, Self.submit(firstStep))
        guard case .error(let refused) = reply else { Issue.record("first_step 10^18 accepted"); return }
        #expect(refused.code == .invalidJob && refused.message.contains("first_step"), "\(refused.message)")
        #expect(took < .seconds(2), "first_step 10^18 took \(took)")

        let billion = try Self.rollout(["steps": 1_000_000_000])
        #expect(billion.count < 1000)
        let (manyClips, tookMany) = try Self.timed(farm, client, Self.submit(billion, length: 1, interval: 1))
        guard case .error(let tooMany) = manyClips else { Issue.record("10^9 clips accepted"); return }
        #expect(tooMany.message.contains("1000000000 clips"), "\(tooMany.message)")
        #expect(tookMany < .seconds(2), "10^9 steps took \(tookMany)")

        let (status, statusTook) = try Self.timed(farm, client, .status(StatusQuery()))
        guard case .ok(let jobs) = status else { Issue.record("status failed"); return }
        #expect(jobs.jobs == [])
        #expect(statusTook < .milliseconds(100))
        let spool = try FileManager.default.contentsOfDirectory(atPath: farm.directory.appending("state/spool"))
        #expect(spool.isEmpty, "refused rollouts are not kept: \(spool)")
    }

    @Test func nonFinitePosesRefuseTheJobNamingTheFirstAndCountingAll() throws {
        let farm = try LiveFarm()
        let client = try farm.client()
        var values = [Float](repeating: 0, count: 100 * 2 * 7)
        values[(40 * 2 + 1) * 7 + 4] = .nan
        values[(90 * 2 + 0) * 7 + 0] = .infinity
        let bytes = try Self.rollout(["first_step": 1000, "steps": 100, "num_bodies": 2],
                                     body: Self.littleEndian(values))
        guard case .error(let refused) = try farm.request(client, Self.submit(bytes, length: 10, interval: 50)) else {
            Issue.record("NaN rollout accepted"); return
        }
        #expect(refused.code == .invalidJob)
        #expect(refused.message.contains("2 NaN or infinite values; the first is step 1040, body 1, qy"), "\(refused.message)")
    }

    /// Random garbage and valid-looking SUBMITs with huge counts, from one client, while another
    /// asks for `status` after each. Every message is answered and no status waits on a stuck
    /// request (the defect took over 30 s: a status reply slower than that fails the test as a hang;
    /// CI's shared 2 cores once held one for over 10 s, so this is a hang check, not a speed figure).
    /// The slowest reply is printed: the target is 100 ms, measured on a quiet machine with
    /// `FARM_FUZZ_MESSAGES=10000` (CI sends 1,000).
    @Test func statusStaysPromptUnderFuzzedSubmissions() throws {
        let count = ProcessInfo.processInfo.environment["FARM_FUZZ_MESSAGES"].flatMap(Int.init) ?? 1000
        let farm = try LiveFarm()
        let fuzzer = try farm.client()
        let watcher = try farm.client()
        var random = SystemRandomNumberGenerator()
        let hostile: [ClientRequest] = try [
            Self.submit(Self.rollout(["first_step": 1_000_000_000_000_000_000])),
            Self.submit(Self.rollout(["steps": 1_000_000_000]), length: 1, interval: 1),
            Self.submit(Self.rollout(["steps": 1_000_000_000]), length: 1_000_000_000, interval: 1_000_000_000),
            Self.submit(Self.rollout(["steps": 1 << 50, "num_bodies": 1 << 20])),
            Self.submit(Self.rollout(["num_bodies": 1 << 40])),
            Self.submit(Self.rollout(["steps": 1000]), length: .max, interval: .max),
            Self.submit(Self.rollout(["steps": 1000]), run: String(repeating: "é", count: 200)),
            Self.submit(Self.rollout(["steps": 10, "num_bodies": 1], body: Self.littleEndian([Float](repeating: .nan, count: 70)))),
        ]
        let header = Data(ProtocolVersion.header.utf8)
        var latencies: [Duration] = []
        var replies = 0
        for i in 0..<count {
            let frames: [Data]
            switch i % 4 {
            case 0: frames = hostile[Int.random(in: 0..<hostile.count, using: &random)].frames
            case 1: frames = [header, Data("SUBMIT".utf8), Data((0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })]
            case 2:
                var submit = hostile[Int.random(in: 0..<hostile.count, using: &random)].frames
                let last = submit.count - 1
                if !submit[last].isEmpty {
                    submit[last][Int.random(in: 0..<submit[last].count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                frames = submit
            default: frames = (0..<Int.random(in: 1...5, using: &random)).map { _ in Data((0..<Int.random(in: 0...32, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }) }
            }
            try fuzzer.send(frames, wait: true)
            // The defect took over 30 s; a reply later than that is a hang, and says what preceded it.
            let started = ContinuousClock.now
            try watcher.send(ClientRequest.status(StatusQuery()).frames, wait: true)
            guard let reply = try watcher.receive(timeout: .seconds(30)) else {
                Issue.record("no status reply within 30 s after fuzzed message \(i) (kind \(i % 4), frame sizes \(frames.map(\.count)))")
                return
            }
            guard case .ok = try ClientReply.parse(reply) else { Issue.record("status failed at message \(i)"); return }
            latencies.append(ContinuousClock.now - started)
            while try fuzzer.receive(timeout: .zero) != nil { replies += 1 }
        }
        while replies < count, try fuzzer.receive(timeout: .seconds(5)) != nil { replies += 1 }
        #expect(replies == count, "every fuzzed message is answered")
        latencies.sort()
        let slowest = latencies.last ?? .zero
        let within = latencies.filter { $0 < .milliseconds(100) }.count
        print("fuzz: \(count) messages; status replies: median \(latencies[latencies.count / 2]), "
              + "p99 \(latencies[latencies.count * 99 / 100]), slowest \(slowest); \(within)/\(count) within 100 ms")
    }
}
