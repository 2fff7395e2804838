import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

/// `clip_prefix`: one clip the trainer cut, named, rated and kept as Isaac Lab 3's recorder would,
/// by the coordinator (rule 7 of `SubmissionPlanner`).
struct NumberedClipPlanTests {
    let planner = SubmissionPlanner(configuration: .builtIn, filer: ClipFiler(logsRoot: "/nonexistent-logs"))

    static func request(prefix: String = "clip", localFiles: [String]? = nil, keep: Int? = nil, fps: Int? = nil,
                        renderFPS: Double? = nil, frameStride: Int? = nil, schedule: String? = nil,
                        stepOffset: Int? = nil, clipFile: String? = nil) -> SubmitJob {
        var request = SubmitJob(workflow: "rsl_rl", task: "Isaac-Ant-v0", run: "r1", videoLength: 10, videoInterval: 10,
                                schedule: schedule, stepOffset: stepOffset, frameStride: frameStride,
                                backendInputs: BackendInputs(presets: ["newton_mjwarp"]), fps: fps, renderFps: renderFPS,
                                clipFile: clipFile, keepLastNClips: keep)
        request.clipPrefix = prefix
        request.localFiles = localFiles
        return request
    }

    @Test(arguments: [
        // (the submitter's files, files unfinished jobs claimed in the run folder) → the clip's name
        ([String](), [String](), "clip_0000.mp4"),
        (["clip_0003.mp4", "notes.txt", "other_0040.mp4"], [], "clip_0004.mp4"),
        (["clip_0003.mp4"], ["clip_0006.mp4"], "clip_0007.mp4"),
        (["clip_0\u{0663}.mp4", "clip_9999.mp4"], [], "clip_10000.mp4"),  // Python's \d, and {index:04d} widening
    ])
    func theClipIsNamedOnAfterTheSubmittersAndTheFarmsClips(local: [String], claimed: [String], name: String) throws {
        let planned = try planner.plan(Self.request(localFiles: local), rollout: SubmissionPlannerTests.rollout(steps: 10),
                                       claimedFiles: claimed)
        #expect(planned.clips == [ClipPlan(file: name, steps: Array(0..<10))])
        #expect(planned.spec.schedule == "isaaclab")
        #expect(planned.spec.primary.prefix == "clip")
        #expect(planned.spec.supersedes == nil)
    }

    @Test(arguments: [
        // (keep, the submitter's files, claimed) → what the new clip supersedes in the submitter's folder
        (2, ["ant_0003.mp4", "clip_0000.mp4", "ant_0004.mp4"], [String](), ["ant_0003.mp4"]),
        (1, ["ant_0001.mp4"], ["ant_0002.mp4"], ["ant_0001.mp4", "ant_0002.mp4"]),
        (5, ["ant_0001.mp4"], [], []),
    ])
    func keepLastNamesTheSubmittersFilesTheClipSupersedes(keep: Int, local: [String], claimed: [String],
                                                          superseded: [String]) throws {
        let planned = try planner.plan(Self.request(prefix: "ant", localFiles: local, keep: keep),
                                       rollout: SubmissionPlannerTests.rollout(steps: 10), claimedFiles: claimed)
        #expect(planned.spec.supersedes == superseded)
        #expect(planned.spec.primary.keepLastNClips == keep)
    }

    @Test(arguments: [
        // (fps, render_fps, frame_stride) → Isaac Lab 3's rate; the rollout's step_dt is 1/60
        (Int?.none, Double?.none, Int?.none, 60),
        (nil, 30, 2, 15),
        (24, 60, 3, 24),
        (nil, nil, 4, 15),
    ])
    func theClipPlaysAtIsaacLabsRate(fps: Int?, renderFPS: Double?, stride: Int?, expected: Int) throws {
        let planned = try planner.plan(Self.request(fps: fps, renderFPS: renderFPS, frameStride: stride),
                                       rollout: SubmissionPlannerTests.rollout(steps: 10))
        #expect(planned.spec.primary.frameRate == FrameRate(numerator: expected, denominator: 1))
    }

    @Test(arguments: [
        (request(clipFile: "a.mp4"), "give one of them"),
        (request(prefix: ""), "clip_prefix ''"),
        (request(prefix: "../x"), "clip_prefix '../x'"),
        (request(schedule: "gymnasium"), "schedule 'gymnasium'"),
        (request(stepOffset: 2), "step_offset 2"),
        (request(frameStride: 0), "frame_stride is 0"),
        (request(localFiles: Array(repeating: "a", count: SubmitJob.maxLocalFiles + 1)), "at most 10000"),
        (request(localFiles: ["a", String(repeating: "b", count: 256)]), "local_files[1] is 256 bytes"),
    ])
    func badNumberedClipsAreRefusedNamingTheField(request: SubmitJob, expected: String) {
        #expect {
            try planner.plan(request, rollout: SubmissionPlannerTests.rollout(steps: 10))
        } throws: { error in
            (error as? SubmissionError)?.message.contains(expected) == true
        }
    }

    @Test func aJobNamesAtMostMaxSupersedesTheLowestFirst() throws {
        let local = (0..<(SubmitJob.maxSupersedes + 10)).map { IsaacLabClipNaming.fileName(prefix: "ant", index: $0) }
        let planned = try planner.plan(Self.request(prefix: "ant", localFiles: local.shuffled(), keep: 1),
                                       rollout: SubmissionPlannerTests.rollout(steps: 10))
        #expect(planned.spec.supersedes == Array(local.prefix(SubmitJob.maxSupersedes)))
    }

    @Test func overwriteDoesNotApplyToANewName() {
        var request = Self.request()
        request.overwrite = true
        #expect {
            try planner.plan(request, rollout: SubmissionPlannerTests.rollout(steps: 10))
        } throws: { error in
            (error as? SubmissionError)?.message.contains("overwrite applies to clip_file") == true
        }
    }

    @Test func localFilesWithoutAPrefixAreRefused() {
        var request = SingleClipPlanTests.request(file: "a.mp4")
        request.localFiles = ["a_0001.mp4"]
        #expect {
            try planner.plan(request, rollout: SubmissionPlannerTests.rollout(steps: 30))
        } throws: { error in
            (error as? SubmissionError)?.message.contains("local_files applies with clip_prefix only") == true
        }
    }
}
