import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

/// SUBMIT `streams`: Isaac Lab 3's one stream per `VideoRecorderCfg`, from one rollout.
struct StreamPlanningTests {
    let planner = SubmissionPlanner(configuration: .builtIn, filer: ClipFiler(logsRoot: "/nonexistent-logs"))

    static func request(streams: [StreamRequest]?, keep: Int? = nil, schedule: String = "isaaclab") -> SubmitJob {
        SubmitJob(workflow: "rsl_rl", task: "Isaac-Cartpole-v0", run: "r", videoLength: 20, videoInterval: 50,
                  schedule: schedule, streams: streams, keepLastNClips: keep)
    }

    @Test func twoStreamsAreNumberedPerPrefixAndAdvanceTogether() throws {
        let planned = try planner.plan(
            Self.request(streams: [StreamRequest(prefix: "viewport"),
                                   StreamRequest(prefix: "wrist", output: "depth", eye: Vec3(0.5, 0, 1),
                                                 lookat: Vec3(0, 0, 0.5), width: 320, height: 180, keepLastNClips: 3)]),
            rollout: SubmissionPlannerTests.rollout(steps: 150), claimedFiles: ["viewport_0004.mp4"])
        #expect(planned.clips.map(\.file) == ["viewport_0005.mp4", "wrist_0000.mp4", "viewport_0006.mp4",
                                               "wrist_0001.mp4", "viewport_0007.mp4", "wrist_0002.mp4"])
        #expect(planned.clips.map(\.stream) == [0, 1, 0, 1, 0, 1])
        #expect(planned.clips[1].steps == Array(0..<20))
        let wrist = planned.spec.streams[1]
        #expect(wrist.prefix == "wrist" && wrist.output == .depth(range: 0.1...10) && wrist.keepLastNClips == 3)
        #expect(wrist.camera == CameraView(eye: Vec3(0.5, 0, 1), lookat: Vec3(0, 0, 0.5)))
        #expect((wrist.width, wrist.height) == (320, 180))
        #expect(planned.spec.streams[0].keepLastNClips == nil)
        #expect(planned.spec.streams[0].frameRate == FrameRate(numerator: 60, denominator: 1))
    }

    @Test func aStreamHasItsOwnScheduleAndTheJobsDefaults() throws {
        let planned = try planner.plan(
            Self.request(streams: [StreamRequest(prefix: "a"), StreamRequest(prefix: "b", videoLength: 10, videoInterval: 0,
                                                                                frameStride: 2)],
                         keep: 2),
            rollout: SubmissionPlannerTests.rollout(steps: 100))
        #expect(planned.clips.filter { $0.stream == 1 }.map(\.steps) == [[1, 3, 5, 7, 9]])
        #expect(planned.clips.filter { $0.stream == 0 }.count == 2)
        #expect(planned.spec.streams.map(\.keepLastNClips) == [2, 2])
        #expect(planned.spec.streams[1].frameRate == FrameRate(numerator: 30, denominator: 1))
    }

    @Test("Refusals name the stream and the field", arguments: [
        (request(streams: [StreamRequest(prefix: "a"), StreamRequest(prefix: "a")]), "streams[1].prefix 'a' is used by an earlier stream"),
        (request(streams: [StreamRequest(prefix: "")]), "streams[0].prefix '' "),
        (request(streams: [StreamRequest(prefix: "../x")]), "streams[0].prefix '../x' cannot name clip files"),
        (request(streams: [StreamRequest(prefix: "a")], schedule: "gymnasium"), "use schedule isaaclab"),
        (request(streams: nil, keep: 2, schedule: "gymnasium"), "keep_last_n_clips applies to the isaaclab schedule"),
        (request(streams: [StreamRequest(prefix: "a", keepLastNClips: 0)]), "stream 'a': keep_last_n_clips is 0"),
        (request(streams: [StreamRequest(prefix: "a", output: "albedo")]), "stream 'a': output 'albedo' is unknown"),
        (request(streams: [StreamRequest(prefix: "a", output: "depth", depthColormapMin: 5, depthColormapMax: 1)]),
         "stream 'a': depth output: depth_colormap_min/max 5.0/1.0"),
        (request(streams: [StreamRequest(prefix: "a", depthColormapMax: 3)]), "apply to the depth output only"),
        (request(streams: [StreamRequest(prefix: "a", originType: "robot")]), "stream 'a': origin_type 'robot' is unknown"),
        (request(streams: [StreamRequest(prefix: "a", envIndex: 1)]), "need origin_type"),
        (request(streams: Array(repeating: StreamRequest(prefix: "a"), count: 17)), "streams lists 17; a job may list 1...16"),
    ])
    func refused(_ request: SubmitJob, _ message: String) {
        let error = #expect(throws: SubmissionError.self) {
            try planner.plan(request, rollout: SubmissionPlannerTests.rollout(steps: 100))
        }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
    }

    @Test func clipFileJobsTakeNoStreams() {
        var request = Self.request(streams: [StreamRequest(prefix: "a")], schedule: "gymnasium")
        request.schedule = nil
        request.clipFile = "rl-video-episode-0.mp4"
        #expect(throws: SubmissionError("clip_file names a single clip; streams cannot apply to it (leave it out)")) {
            try planner.plan(request, rollout: SubmissionPlannerTests.rollout(steps: 100))
        }
    }

    @Test func clipFileJobsKeepTheirPrefixsLastClips() throws {
        var request = Self.request(streams: nil, keep: 2, schedule: "gymnasium")
        request.schedule = nil
        request.clipFile = "wrist_0012.mp4"
        let planned = try planner.plan(request, rollout: SubmissionPlannerTests.rollout(steps: 100))
        #expect(planned.spec.primary.prefix == "wrist" && planned.spec.primary.keepLastNClips == 2)
        request.clipFile = "rl-video-episode-0.mp4"
        #expect(throws: SubmissionError.self) { try planner.plan(request, rollout: SubmissionPlannerTests.rollout(steps: 100)) }
    }

    /// Two envs of a two-body robot: rows 0-1 and 2-3.
    static func robotRollout(viewer: RolloutHeader.Viewer? = nil, assets: Bool = true) -> RolloutHeader {
        RolloutHeader(stepDT: 1.0 / 60, steps: 100, numBodies: 4, numEnvs: 2, envSpacing: 4, viewer: viewer, shapes: [],
                      assets: assets ? [RolloutAsset(name: "robot", bodyNames: ["base", "hand"],
                                                     rows: .perEnv([[0, 1], [2, 3]]))] : [])
    }

    @Test func aStreamsOriginIsResolvedAgainstTheRollout() throws {
        let planned = try planner.plan(
            Self.request(streams: [StreamRequest(prefix: "wrist", eye: Vec3(0.2, 0, 0.1), lookat: Vec3(0, 0, 0),
                                                 originType: "asset_body", envIndex: 1, assetName: "robot",
                                                 bodyName: "hand"),
                                   StreamRequest(prefix: "base", originType: "asset_root", assetName: "robot")]),
            rollout: Self.robotRollout())
        #expect(planned.spec.streams.map(\.anchor) == [.body(3), .body(0)])
        #expect(planned.spec.streams[0].camera == CameraView(eye: Vec3(0.2, 0, 0.1), lookat: Vec3(0, 0, 0)))
        let error = #expect(throws: SubmissionError.self) {
            try planner.plan(Self.request(streams: [StreamRequest(prefix: "w", originType: "asset_root", assetName: "arm")]),
                             rollout: Self.robotRollout())
        }
        #expect(error?.message.hasPrefix("stream 'w': ") == true, "\(error?.message ?? "")")
    }

    @Test func theRolloutViewersOriginIsFollowedWhenTheRolloutNamesIt() throws {
        let viewer = RolloutHeader.Viewer(eye: Vec3(-2, 0, 1), lookat: Vec3(0, 0, 0.5), originType: "asset_root",
                                          envIndex: 1, assetName: "robot")
        let followed = try planner.plan(Self.request(streams: nil), rollout: Self.robotRollout(viewer: viewer))
        #expect(followed.spec.primary.anchor == .body(2))
        #expect(followed.spec.primary.camera == CameraView(eye: Vec3(-2, 0, 1), lookat: Vec3(0, 0, 0.5)))

        let unnamed = try planner.plan(Self.request(streams: nil), rollout: Self.robotRollout(viewer: viewer, assets: false))
        #expect(unnamed.spec.primary.anchor == .world)
        #expect(unnamed.spec.primary.camera == .recorderDefault)
        #expect(unnamed.spec.warnings.contains { $0.contains("cannot be followed") })
    }

    @Test func theJobsOutputIsItsStreamsDefault() throws {
        var request = Self.request(streams: [StreamRequest(prefix: "a"), StreamRequest(prefix: "b", output: "rgb"),
                                             StreamRequest(prefix: "c", depthColormapMax: 4)])
        request.output = "depth"
        request.depthColormapMin = 0.5
        let planned = try planner.plan(request, rollout: SubmissionPlannerTests.rollout(steps: 100))
        #expect(planned.spec.streams.map(\.output) == [.depth(range: 0.5...10), .rgb, .depth(range: 0.5...4)])
        var single = Self.request(streams: nil, schedule: "gymnasium")
        single.schedule = nil
        single.clipFile = "rl-video-episode-0.mp4"
        single.output = "segmentation"
        #expect(try planner.plan(single, rollout: SubmissionPlannerTests.rollout(steps: 100)).spec.primary.output
                == .segmentation)
        single.depthColormapMax = 3
        #expect(throws: SubmissionError.self) { try planner.plan(single, rollout: SubmissionPlannerTests.rollout(steps: 100)) }
    }

    /// A job stored by a coordinator that predates streams kept its one stream's fields at the top.
    @Test func specsStoredBeforeStreamsStillLoad() throws {
        let spec = JobSpec(workflow: "w", task: "t", run: "r", backend: .newtonGL, width: 64, height: 48,
                           frameRate: FrameRate(numerator: 60, denominator: 1))
        let stored = try JSONEncoder().encode(spec)
        var object = try #require(try JSONSerialization.jsonObject(with: stored) as? [String: Any])
        let stream = try #require((object.removeValue(forKey: "streams") as? [[String: Any]])?.first)
        for key in ["backendInputs", "backend", "camera", "followsCameraTrack", "width", "height", "frameRate"] {
            object[key] = stream[key]
        }
        let old = try JSONSerialization.data(withJSONObject: object)
        #expect(try JSONDecoder().decode(JobSpec.self, from: old) == spec)
    }
}
