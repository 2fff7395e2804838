import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

struct SubmissionPlannerTests {
    let planner = SubmissionPlanner(configuration: .builtIn, filer: ClipFiler(logsRoot: "/nonexistent-logs"))

    static func rollout(firstStep: Int = 0, steps: Int, viewer: RolloutHeader.Viewer? = nil,
                        track: [CameraView]? = nil) -> RolloutHeader {
        RolloutHeader(stepDT: 1.0 / 60, firstStep: firstStep, steps: steps, numBodies: 1, numEnvs: 1, envSpacing: 4,
                      viewer: viewer, cameraTrack: track, shapes: [])
    }

    static func request(run: String = "2026-01-01_00-00-00", task: String = "Isaac-Cartpole-v0", length: Int = 100,
                        interval: Int = 500, inputs: BackendInputs = BackendInputs()) -> SubmitJob {
        SubmitJob(workflow: "rl_games", task: task, run: run, videoLength: length, videoInterval: interval,
                  backendInputs: inputs)
    }

    @Test func cartpoleRunPlansGymnasiumClipsWithTheTaskCamera() throws {
        let planned = try planner.plan(Self.request(), rollout: Self.rollout(steps: 1200))
        #expect(planned.clips.map(\.file) == ["rl-video-step-0.mp4", "rl-video-step-500.mp4", "rl-video-step-1000.mp4"])
        #expect(planned.clips.map(\.frames) == [100, 100, 100])
        #expect(planned.clips[1].steps.first == 500)
        #expect(planned.spec.primary.frameRate == FrameRate(numerator: 60, denominator: 1))
        #expect(planned.spec.primary.backend == .kit, "no physics preset means PhysX, as in Isaac Lab")
        #expect(planned.spec.primary.camera == CameraView(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)))
        #expect(planned.spec.primary.width == 1280 && planned.spec.primary.height == 720)
    }

    /// The coordinator plans off its loop with the run's names as they were when the SUBMIT came,
    /// and compares them again only where the plan reads them (`readsRunFileNames`).
    @Test func aPlanThatReadsNoRunFileNamesIsTheSameWhateverTheyAre() throws {
        let names = ["rl-video-step-0.mp4", "rl-video-step-500.mp4", "clip_0007.mp4"]
        var isaaclab = Self.request()
        isaaclab.schedule = "isaaclab"
        var named = Self.request()
        named.clipFile = "rl-video-step-0.mp4"
        for request in [Self.request(), isaaclab, named] {
            let alone = Result { () throws(SubmissionError) in try planner.plan(request, rollout: Self.rollout(steps: 1200)) }
            let among = Result { () throws(SubmissionError) in
                try planner.plan(request, rollout: Self.rollout(steps: 1200), claimedFiles: names, filedFiles: names)
            }
            #expect((try? alone.get()) != nil)
            #expect(((try? alone.get()) == (try? among.get())) == !SubmissionPlanner.readsRunFileNames(request),
                    "\(request.schedule ?? "gymnasium"), clip_file \(request.clipFile ?? "-")")
        }
    }

    @Test func rolloutViewerAndOverridesPlaceTheCamera() throws {
        let viewer = RolloutHeader.Viewer(eye: Vec3(1, 2, 3), lookat: Vec3(0, 0, 1))
        let fromRollout = try planner.plan(Self.request(), rollout: Self.rollout(steps: 100, viewer: viewer))
        #expect(fromRollout.spec.primary.camera == CameraView(eye: Vec3(1, 2, 3), lookat: Vec3(0, 0, 1)))

        var request = Self.request()
        request.eye = Vec3(9, 9, 9)
        request.width = 640
        request.height = 360
        let overridden = try planner.plan(request, rollout: Self.rollout(steps: 100, viewer: viewer))
        #expect(overridden.spec.primary.camera == CameraView(eye: Vec3(9, 9, 9), lookat: Vec3(0, 0, 1)))
        #expect(overridden.spec.primary.width == 640)
    }

    @Test func newtonVisualizerFollowsTheRolloutsCameraTrack() throws {
        let track = (0..<100).map { CameraView(eye: Vec3(Double($0) + 1, 0, 2), lookat: Vec3(0, 0, 0)) }
        let inputs = BackendInputs(presets: ["newton_mjwarp"], visualizers: ["newton"])
        let planned = try planner.plan(Self.request(inputs: inputs), rollout: Self.rollout(steps: 100, track: track))
        #expect(planned.spec.primary.backend == .newtonGL)
        #expect(planned.spec.primary.matchedVisualizer == "newton")
        #expect(planned.spec.primary.followsCameraTrack)
        #expect(planned.spec.primary.camera == track[0])
    }

    static let seedErrors: [(BackendInputs, String)] = [
        (BackendInputs(physics: "MujocoManager"),
         "Video recording (--video) requires a supported backend: PhysX or Isaac RTX renderer (Kit camera), or Newton physics / Newton Warp renderer (GL viewer). No supported backend detected; do not use --video for this setup."),
        (BackendInputs(backendSource: "camera"), "VideoRecorderCfg.backend_source must be either 'visualizer' or 'renderer'."),
    ]

    @Test(arguments: seedErrors)
    func backendErrorsReachTheSubmitterVerbatim(inputs: BackendInputs, message: String) {
        #expect(throws: SubmissionError(message)) {
            try planner.plan(Self.request(inputs: inputs), rollout: Self.rollout(steps: 100))
        }
    }

    @Test(arguments: ["..", "a/b", "", "x\u{0}y"])
    func runNamesEscapingTheLogsRootAreRefused(run: String) {
        #expect(throws: SubmissionError.self) {
            try planner.plan(Self.request(run: run), rollout: Self.rollout(steps: 100))
        }
        #expect(throws: SubmissionError.self) {
            try planner.plan(Self.request(task: run), rollout: Self.rollout(steps: 100))
        }
    }

    @Test func clipsAreFittedToTheRolloutsSteps() throws {
        // Steps 100..<600: the clip at 0 began before the rollout (skipped), the one at 500 runs to the end.
        let planned = try planner.plan(Self.request(length: 300, interval: 500),
                                       rollout: Self.rollout(firstStep: 100, steps: 500))
        #expect(planned.clips == [ClipPlan(file: "rl-video-step-500.mp4", steps: Array(500..<600))])
        #expect(planned.spec.warnings.contains { $0.contains("rl-video-step-0.mp4") && $0.contains("not recorded") })
    }

    @Test func planWithNoClipInTheRolloutIsRefused() {
        #expect(throws: SubmissionError.self) {
            try planner.plan(Self.request(length: 10, interval: 500), rollout: Self.rollout(firstStep: 10, steps: 100))
        }
    }

    @Test func isaacLabScheduleNamesClipsAfterExistingOnes() throws {
        let dir = try TemporaryDirectory()
        let filer = ClipFiler(logsRoot: dir.path)
        try filer.file(Data("old".utf8), workflow: "rl_games", task: "Isaac-Cartpole-v0", run: "r", file: "clip_0004.mp4")
        var request = Self.request(run: "r", length: 10, interval: 50)
        request.schedule = "isaaclab"
        let planned = try SubmissionPlanner(configuration: .builtIn, filer: filer)
            .plan(request, rollout: Self.rollout(steps: 100))
        #expect(planned.clips.first?.file == "clip_0005.mp4")
        #expect(planned.spec.schedule == "isaaclab")
    }

    /// (schedule, fps, render_fps, frame_stride, step_dt) → the job's frame rate.
    @Test(arguments: [
        ("isaaclab", nil, nil, 1, 0.0166, FrameRate(numerator: 60, denominator: 1)),
        ("isaaclab", nil, nil, 2, 1.0 / 60, FrameRate(numerator: 30, denominator: 1)),
        ("isaaclab", nil, 50.0, 1, 1.0 / 60, FrameRate(numerator: 50, denominator: 1)),
        ("isaaclab", 24, 50.0, 2, 1.0 / 60, FrameRate(numerator: 24, denominator: 1)),
        ("gymnasium", nil, nil, nil, 0.0166, try FrameRate(stepDT: 0.0166)),
        ("gymnasium", 24, nil, nil, 1.0 / 60, FrameRate(numerator: 60, denominator: 1)),
    ] as [(String, Int?, Double?, Int?, Double, FrameRate)])
    func isaacLabJobsPlayAtIsaacLabsFPS(schedule: String, fps: Int?, renderFPS: Double?, stride: Int?, stepDT: Double,
                                       expected: FrameRate) throws {
        var request = Self.request(length: 10, interval: 50)
        request.schedule = schedule
        request.fps = fps
        request.renderFps = renderFPS
        request.frameStride = stride
        let rollout = RolloutHeader(stepDT: stepDT, steps: 100, numBodies: 1, numEnvs: 1, envSpacing: 4, shapes: [])
        let planned = try planner.plan(request, rollout: rollout)
        #expect(planned.spec.primary.frameRate == expected)
        #expect(planned.spec.warnings.contains { $0.hasPrefix("fps and render_fps") } == (schedule == "gymnasium" && fps != nil))
    }

    @Test func anUnusableFPSIsRefusedNamingTheField() {
        var request = Self.request(length: 10, interval: 50)
        request.schedule = "isaaclab"
        request.fps = 0
        #expect {
            try planner.plan(request, rollout: Self.rollout(steps: 100))
        } throws: { "\($0)".contains("fps is 0") }
    }
}
