import FarmCore
import FarmWire
import Testing
@testable import FarmCoordinator

/// `clip_file`: a job of exactly one clip, for recorders that choose their own clips and names.
struct SingleClipPlanTests {
    let planner = SubmissionPlanner(configuration: .builtIn, filer: ClipFiler(logsRoot: "/nonexistent-logs"))

    static func request(file: String?, length: Int = 30, schedule: String? = nil, stepOffset: Int? = nil,
                        frameStride: Int? = nil) -> SubmitJob {
        SubmitJob(workflow: "renderfarm", task: "Ant-v5", run: "r1", videoLength: length, videoInterval: length,
                  schedule: schedule, stepOffset: stepOffset, frameStride: frameStride,
                  backendInputs: BackendInputs(presets: ["newton_mjwarp"]), clipFile: file)
    }

    @Test(arguments: [
        // (file, first_step, rollout steps, video_length) → frames from first_step
        ("rl-video-step-0.mp4", 0, 30, 30, 30),
        ("rl-video-step-7.mp4", 7, 30, 30, 30),        // any trigger step: no interval arithmetic
        ("rl-video-episode-12.mp4", 345, 10, 30, 10),   // a clip flushed early: the rollout's steps
        ("my-prefix-step-100.mp4", 100, 40, 25, 25),    // a longer rollout: the first video_length steps
    ])
    func oneClipOfTheRolloutsFirstStepsUnderItsName(file: String, first: Int, steps: Int, length: Int, frames: Int) throws {
        let rollout = SubmissionPlannerTests.rollout(firstStep: first, steps: steps)
        let planned = try planner.plan(Self.request(file: file, length: length), rollout: rollout)
        #expect(planned.clips == [ClipPlan(file: file, steps: Array(first..<(first + frames)))])
        #expect(planned.spec.warnings.isEmpty)
    }

    @Test(arguments: [
        (request(file: "../x.mp4"), "clip_file"),
        (request(file: "clip.avi"), "ending in .mp4"),
        (request(file: ".mp4"), "ending in .mp4"),
        (request(file: "a.mp4", schedule: "isaaclab"), "schedule 'isaaclab'"),
        (request(file: "a.mp4", stepOffset: 3), "step_offset 3"),
        (request(file: "a.mp4", frameStride: 2), "frame_stride 2"),
        (request(file: "a.mp4", length: 0), "video_length is 0"),
    ])
    func badSingleClipsAreRefusedNamingTheField(request: SubmitJob, expected: String) {
        #expect {
            try planner.plan(request, rollout: SubmissionPlannerTests.rollout(steps: 30))
        } throws: { error in
            (error as? SubmissionError)?.message.contains(expected) == true
        }
    }

    @Test func aClipOverTheFramesLimitIsRefused() {
        let small = SubmissionPlanner(configuration: .builtIn, filer: ClipFiler(logsRoot: "/nonexistent-logs"),
                                      limits: SubmissionLimits(maxFramesPerClip: 20))
        #expect {
            try small.plan(Self.request(file: "a.mp4", length: 30), rollout: SubmissionPlannerTests.rollout(steps: 30))
        } throws: { error in
            (error as? SubmissionError)?.message.contains("more than 20") == true
        }
    }
}
