import Foundation
import Testing
@testable import FarmCore

/// The Isaac Lab rules that also run in the trainer (the step trigger on the training thread, clip
/// naming and keep-last in the folder the trainer's recorder fetches into, and the fps of the clips
/// it cuts), as a table of cases computed here from the coordinator's implementations and checked in
/// as python/tests/fixtures/isaaclab_rules.json, which python/tests/test_isaaclab_rules.py holds the
/// Python recorder to. This test fails when the table is not what the Swift rules give; run it with
/// RENDERFARM_WRITE_FIXTURES=1 to write it again.
struct IsaacLabRuleCasesTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("python/tests/fixtures/isaaclab_rules.json")

    struct ScheduleCase: Codable, Equatable {
        struct Clip: Codable, Equatable {
            let file: String
            /// `VideoRecorder`'s step numbers (the first `env.step()` is 1) of the clip's frames.
            let steps: [Int]
        }

        let totalSteps, videoLength, videoInterval, stepOffset, frameStride, firstClipIndex: Int
        let prefix: String
        var clips: [Clip] = []
    }

    struct FrameRateCase: Codable, Equatable {
        let fps: Int?
        let renderFps: Double?
        let stepDt: Double?
        let frameStride: Int
        var resolved = 0
    }

    struct NamingCase: Codable, Equatable {
        let prefix: String
        let names: [String]
        /// `IsaacLabClipNaming.nextClipIndex` over `names`.
        var nextIndex = 0
        /// `IsaacLabClipNaming.fileName` of `nextIndex`.
        var nextFile = ""
    }

    struct KeepLastCase: Codable, Equatable {
        let prefix: String
        let count: Int
        let names: [String]
        var superseded: [String] = []
    }

    struct Cases: Codable, Equatable {
        var schedules: [ScheduleCase]
        var frameRates: [FrameRateCase]
        var naming: [NamingCase]
        var keepLast: [KeepLastCase]
    }

    static func schedule(_ steps: Int, length: Int, interval: Int, offset: Int = 0, stride: Int = 1, first: Int = 0,
                         prefix: String = "clip") -> ScheduleCase {
        ScheduleCase(totalSteps: steps, videoLength: length, videoInterval: interval, stepOffset: offset,
                     frameStride: stride, firstClipIndex: first, prefix: prefix)
    }

    static let inputs = Cases(
        schedules: [
            schedule(40, length: 5, interval: 10),
            schedule(40, length: 6, interval: 10, offset: 3, stride: 2),
            schedule(30, length: 4, interval: 0),
            schedule(25, length: 12, interval: 5, offset: 2, stride: 3),
            schedule(20, length: 3, interval: 7, stride: 4),
            schedule(17, length: 8, interval: 8, offset: 1, stride: 2, first: 3, prefix: "wrist"),
            schedule(5, length: 10, interval: 3, offset: 10),
            schedule(12, length: 1, interval: 1, stride: 1, first: 9998),
        ],
        frameRates: [
            FrameRateCase(fps: 24, renderFps: 60, stepDt: 0.01, frameStride: 3),
            FrameRateCase(fps: nil, renderFps: 60, stepDt: 0.01, frameStride: 1),
            FrameRateCase(fps: nil, renderFps: 45, stepDt: nil, frameStride: 2),
            FrameRateCase(fps: nil, renderFps: 50, stepDt: nil, frameStride: 3),
            FrameRateCase(fps: nil, renderFps: nil, stepDt: 1.0 / 60, frameStride: 1),
            FrameRateCase(fps: nil, renderFps: nil, stepDt: 0.0333, frameStride: 4),
            FrameRateCase(fps: nil, renderFps: nil, stepDt: 0.4, frameStride: 5),
            FrameRateCase(fps: nil, renderFps: nil, stepDt: nil, frameStride: 2),
            FrameRateCase(fps: nil, renderFps: nil, stepDt: 0, frameStride: 1),
            FrameRateCase(fps: nil, renderFps: 2.5, stepDt: nil, frameStride: 1),
        ],
        naming: [
            NamingCase(prefix: "clip", names: []),
            NamingCase(prefix: "clip", names: ["clip_0000.mp4", "clip_0003.mp4", "clip_12.mp4", "clip_x.mp4", "clip_.mp4",
                                               "other_0040.mp4", "clip_0050.mp4.part", "clip_0007.MP4"]),
            NamingCase(prefix: "clip", names: ["clip_9999.mp4"]),
            NamingCase(prefix: "clip", names: ["clip_\u{0663}\u{0664}.mp4", "clip_0005.mp4\n"]),
            NamingCase(prefix: "clip", names: ["clip_0002.mp4", "clip_99999999999999999999.mp4"]),
            NamingCase(prefix: "a.b", names: ["a.b_0001.mp4", "axb_0009.mp4"]),
            NamingCase(prefix: "cam", names: ["cam_0001.mp4", "cam_extra_0009.mp4", "cam_-3.mp4"]),
        ],
        keepLast: [
            KeepLastCase(prefix: "clip", count: 2, names: ["clip_0000.mp4", "clip_0001.mp4", "clip_0002.mp4", "clip_0003.mp4"]),
            KeepLastCase(prefix: "clip", count: 3, names: ["clip_0000.mp4", "clip_0004.mp4", "clip_0005.mp4"]),
            KeepLastCase(prefix: "clip", count: 1, names: ["clip_0002.mp4", "other_0000.mp4", "clip_0001.mp4.part"]),
            KeepLastCase(prefix: "clip", count: 5, names: ["clip_0000.mp4", "clip_0001.mp4"]),
            KeepLastCase(prefix: "wrist", count: 1, names: []),
        ])

    static func computed() throws -> Cases {
        var cases = inputs
        for index in cases.schedules.indices {
            let parameters = cases.schedules[index]
            let planned = try IsaacLabSchedule.plan(ScheduleParameters(
                totalSteps: parameters.totalSteps, videoLength: parameters.videoLength,
                videoInterval: parameters.videoInterval, stepOffset: parameters.stepOffset,
                frameStride: parameters.frameStride, firstClipIndex: parameters.firstClipIndex,
                namePrefix: parameters.prefix))
            cases.schedules[index].clips = planned.map { ScheduleCase.Clip(file: $0.file, steps: Array($0.steps)) }
        }
        for index in cases.frameRates.indices {
            let rate = cases.frameRates[index]
            cases.frameRates[index].resolved = try IsaacLabFrameRate.resolve(
                fps: rate.fps, renderFPS: rate.renderFps, stepDT: rate.stepDt, frameStride: rate.frameStride)
        }
        for index in cases.naming.indices {
            let naming = cases.naming[index]
            let next = IsaacLabClipNaming.nextClipIndex(prefix: naming.prefix, existingFileNames: naming.names)
            cases.naming[index].nextIndex = next
            cases.naming[index].nextFile = IsaacLabClipNaming.fileName(prefix: naming.prefix, index: next)
        }
        for index in cases.keepLast.indices {
            let keep = cases.keepLast[index]
            cases.keepLast[index].superseded = KeepLastClips(prefix: keep.prefix, count: keep.count)
                .superseded(existingFileNames: keep.names)
        }
        return cases
    }

    static func encoded(_ cases: Cases) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(cases) + Data("\n".utf8)
    }

    @Test func theCheckedInTableIsWhatTheSwiftRulesGive() throws {
        let table = try Self.encoded(Self.computed())
        if ProcessInfo.processInfo.environment["RENDERFARM_WRITE_FIXTURES"] == "1" {
            try FileManager.default.createDirectory(at: Self.fixture.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try table.write(to: Self.fixture)
        }
        let checkedIn = try Data(contentsOf: Self.fixture)
        #expect(checkedIn == table, "\(Self.fixture.path) is stale: run this test with RENDERFARM_WRITE_FIXTURES=1")
    }
}
