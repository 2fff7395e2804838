import ArgumentParser
import FarmCore
import Testing
@testable import farm_bench
@testable import farm_coordinator
@testable import farm_worker
@testable import farmctl

/// Every command with a camera takes negative coordinates, as `--eye X` and `--eye=X`; enum options
/// list their choices and refuse others while parsing. Parsing only: no process is started.
@Suite struct CommandParsingTests {
    struct Camera: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let eye: Vec3
        let lookat: Vec3
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cameras: [Camera] = [
        Camera(arguments: ["--eye", "-1.6,3.6,2.8", "--lookat", "0,0,0"], eye: Vec3(-1.6, 3.6, 2.8), lookat: Vec3(0, 0, 0)),
        Camera(arguments: ["--eye=-1.6,3.6,2.8", "--lookat=-0.5,-1,-2"], eye: Vec3(-1.6, 3.6, 2.8), lookat: Vec3(-0.5, -1, -2)),
        Camera(arguments: ["--lookat", "-3,-4,-5", "--eye", "-8,-0,5e-1"], eye: Vec3(-8, 0, 0.5), lookat: Vec3(-3, -4, -5)),
    ]

    @Test(arguments: cameras)
    func farmctlSubmitTakesNegativeCoordinates(_ camera: Camera) throws {
        let command = try SubmitCommand.parse(["--task", "Isaac-Cartpole-v0", "--builtin", "cartpole", "--steps", "10",
                                               "--num_envs", "1"] + camera.arguments)
        #expect(command.eye == camera.eye && command.lookat == camera.lookat)
    }

    @Test(arguments: cameras)
    func farmWorkerRenderTakesNegativeCoordinates(_ camera: Camera) throws {
        let command = try RenderCommand.parse(["--rollout", "run.rlt", "--out", "clip.mp4", "--backend", "kit"] + camera.arguments)
        #expect(command.eye == camera.eye && command.lookat == camera.lookat)
    }

    @Test(arguments: cameras)
    func farmBenchRenderTakesNegativeCoordinates(_ camera: Camera) throws {
        let command = try RenderBench.parse(camera.arguments)
        #expect(Vec3(argument: command.eye) == camera.eye && Vec3(argument: command.lookat) == camera.lookat)
    }

    @Test(arguments: [["--eye", "1,2"], ["--eye", "a,b,c"], ["--eye", "1,2,3,4"], ["--lookat", "1,,2"],
                      ["--eye", "1,2,3", "--lookat", "1,2,3"], ["--eye", "nan,0,0"]])
    func badCamerasAreRefusedWhileParsing(_ arguments: [String]) {
        #expect(throws: (any Error).self) {
            try SubmitCommand.parse(["--task", "T", "--rollout", "run.rlt"] + arguments)
        }
        #expect(throws: (any Error).self) {
            try RenderCommand.parse(["--rollout", "run.rlt", "--out", "clip.mp4", "--backend", "kit"] + arguments)
        }
    }

    @Test(arguments: [("", false), (String(repeating: "k", count: 129), false), ("my-run-1", true),
                      (String(repeating: "k", count: 128), true), ("run\nforged log line", false), ("run\u{202E}", false)])
    func idempotencyKeysAreOneTo128BytesOnOneLine(key: String, accepted: Bool) {
        let parsed = Result { try SubmitCommand.parse(["--task", "T", "--rollout", "run.rlt", "--idempotency-key", key]) }
        #expect(((try? parsed.get()) != nil) == accepted, "\(key.count) bytes")
    }

    @Test func scheduleAndBackendSourceParseToTheirEnums() throws {
        let submit = try SubmitCommand.parse(["--task", "T", "--rollout", "run.rlt", "--schedule", "isaaclab",
                                              "--backend-source", "renderer"])
        #expect(submit.schedule == .isaaclab && submit.backendSource == .renderer)
        let resolve = try ResolveCommand.parse(["--backend-source", "renderer"])
        #expect(resolve.backendSource == .renderer)
        let plan = try PlanCommand.parse(["--steps", "100", "--video_length", "10", "--video_interval", "50",
                                          "--schedule", "isaaclab"])
        #expect(plan.schedule == .isaaclab)
    }

    @Test func helpListsTheChoices() {
        for help in [SubmitCommand.helpMessage(), PlanCommand.helpMessage()] {
            #expect(help.contains("gymnasium") && help.contains("isaaclab"), "\(help)")
        }
        for help in [SubmitCommand.helpMessage(), ResolveCommand.helpMessage()] {
            #expect(help.contains("visualizer") && help.contains("renderer"), "\(help)")
        }
    }

    @Test(arguments: [
        ["--schedule", "recordvideo"], ["--backend-source", "sensor"],
        // The farm's own flags are kebab-case only; Isaac Lab's keep their underscores only.
        ["--backend_source", "renderer"], ["--step_offset", "1"], ["--video-length", "10"], ["--num-envs", "2"],
    ])
    func otherSpellingsAndValuesAreRefused(_ arguments: [String]) {
        #expect(throws: (any Error).self) {
            try SubmitCommand.parse(["--task", "T", "--rollout", "run.rlt"] + arguments)
        }
    }

    @Test func validationHappensBeforeRun() {
        #expect(throws: (any Error).self) { try SubmitCommand.parse(["--task", "T", "--rollout", "r", "--width", "0"]) }
        #expect(throws: (any Error).self) {
            try RenderCommand.parse(["--rollout", "r", "--out", "o", "--backend", "kit", "--width", "641"])
        }
        #expect(throws: (any Error).self) {
            try PlanCommand.parse(["--steps", "100", "--video_length", "10", "--video_interval", "50", "--video-dir", "/tmp"])
        }
        for plan in [["--prefix", "wrist"], ["--schedule", "isaaclab", "--prefix", "a/b"]] {
            #expect(throws: (any Error).self) {
                try PlanCommand.parse(["--steps", "100", "--video_length", "10", "--video_interval", "50"] + plan)
            }
        }
        for submit in [["--keep-last-n-clips", "2"], ["--schedule", "isaaclab", "--keep-last-n-clips", "0"],
                       ["--streams", "s.json"]] {
            #expect(throws: (any Error).self) { try SubmitCommand.parse(["--task", "T", "--rollout", "r"] + submit) }
        }
        #expect(throws: (any Error).self) { try DemoCommand.parse(["--video_length", "0"]) }
        #expect(throws: (any Error).self) { try FarmCoordinatorCommand.parse(["--log-level", "loud"]) }
        #expect(throws: (any Error).self) { try FarmCoordinatorCommand.parse(["--max-open-clips", "0"]) }
        #expect(throws: (any Error).self) { try LogsCommand.parse(["--lines", "-1"]) }
        #expect(throws: (any Error).self) { try RolloutCommand.parse(["--builtin", "cartpole", "--steps", "0", "--num_envs", "1", "--out", "r"]) }
    }
}
