import Testing
@testable import FarmCore

/// A run's parameters and the steps each clip is expected to hold.
struct IsaacLabCase: Sendable, CustomTestStringConvertible {
    let total: Int
    let length: Int
    let interval: Int
    var offset = 0
    var stride = 1
    let steps: [[Int]]
    var testDescription: String { "T=\(total) L=\(length) I=\(interval) offset=\(offset) stride=\(stride) → \(steps)" }
}

@Suite("isaaclab schedule (Isaac Lab 3 VideoRecorder)")
struct IsaacLabScheduleTests {
    private func plan(_ total: Int, length: Int, interval: Int, offset: Int = 0, stride: Int = 1,
                      firstIndex: Int = 0) throws -> [PlannedClip] {
        try ScheduleKind.isaaclab.plan(ScheduleParameters(
            totalSteps: total, videoLength: length, videoInterval: interval,
            stepOffset: offset, frameStride: stride, firstClipIndex: firstIndex))
    }

    static let ownCases: [IsaacLabCase] = [
        IsaacLabCase(total: 10, length: 2, interval: 0, offset: 0, stride: 1, steps: [[1, 2]]),
        IsaacLabCase(total: 9, length: 1, interval: 3, offset: 0, stride: 1, steps: [[1], [4], [7]]),
        IsaacLabCase(total: 20, length: 2, interval: 0, offset: 5, stride: 1, steps: [[6, 7]]),
        IsaacLabCase(total: 10, length: 4, interval: 0, offset: 0, stride: 2, steps: [[2, 4]]),
    ]

    @Test("Isaac Lab's own cases", arguments: ownCases)
    func isaacLabCases(_ row: IsaacLabCase) throws {
        let (total, length, interval, offset, stride, steps) = (row.total, row.length, row.interval, row.offset, row.stride, row.steps)
        let clips = try plan(total, length: length, interval: interval, offset: offset, stride: stride)
        #expect(clips.map { Array($0.steps) } == steps)
        #expect(clips.map(\.file) == steps.indices.map { IsaacLabSchedule.fileName(index: $0) })
    }

    static let edgeCases: [IsaacLabCase] = [
        // Step 0 does not exist: the first env.step() is step 1, and it triggers.
        IsaacLabCase(total: 1, length: 5, interval: 3, offset: 0, stride: 1, steps: [[1]]),
        IsaacLabCase(total: 0, length: 5, interval: 3, offset: 0, stride: 1, steps: []),
        // The offset swallows the whole run.
        IsaacLabCase(total: 5, length: 2, interval: 1, offset: 5, stride: 1, steps: []),
        IsaacLabCase(total: 6, length: 2, interval: 1, offset: 5, stride: 1, steps: [[6]]),
        // interval 0: one clip only, however long the run.
        IsaacLabCase(total: 100, length: 3, interval: 0, offset: 0, stride: 1, steps: [[1, 2, 3]]),
        // A trigger cuts an open clip.
        IsaacLabCase(total: 7, length: 5, interval: 3, offset: 0, stride: 1, steps: [[1, 2, 3], [4, 5, 6], [7]]),
        // A stride longer than a clip captures nothing: no file, no index used.
        IsaacLabCase(total: 10, length: 2, interval: 5, offset: 0, stride: 3, steps: []),
        IsaacLabCase(total: 10, length: 3, interval: 5, offset: 0, stride: 3, steps: [[3], [8]]),
        // Stride within clips cut by triggers; frame positions restart per clip.
        IsaacLabCase(total: 12, length: 5, interval: 4, offset: 0, stride: 2, steps: [[2, 4], [6, 8], [10, 12]]),
        IsaacLabCase(total: 11, length: 5, interval: 4, offset: 0, stride: 2, steps: [[2, 4], [6, 8], [10]]),
        IsaacLabCase(total: 9, length: 5, interval: 4, offset: 0, stride: 2, steps: [[2, 4], [6, 8]]),
        // Offset with recurring clips: triggers at offset + 1, offset + 1 + interval, ...
        IsaacLabCase(total: 30, length: 2, interval: 10, offset: 3, stride: 1, steps: [[4, 5], [14, 15], [24, 25]]),
        // Partial last clip at the end of the run.
        IsaacLabCase(total: 13, length: 5, interval: 10, offset: 0, stride: 1, steps: [[1, 2, 3, 4, 5], [11, 12, 13]]),
    ]

    @Test("Edge cases", arguments: edgeCases)
    func edges(_ row: IsaacLabCase) throws {
        let (total, length, interval, offset, stride, steps) = (row.total, row.length, row.interval, row.offset, row.stride, row.steps)
        let clips = try plan(total, length: length, interval: interval, offset: offset, stride: stride)
        #expect(clips.map { Array($0.steps) } == steps)
        #expect(clips.map(\.file) == steps.indices.map { IsaacLabSchedule.fileName(index: $0) })
        for clip in clips {
            #expect(clip.firstStep == clip.steps.first)
            #expect(clip.triggerStep == clip.firstStep - stride + 1)
            #expect(Array(clip.envStepIndices) == clip.steps.map { $0 - 1 }, "Isaac Lab counts steps from 1")
        }
    }

    @Test("Numbering continues from a first clip index")
    func firstIndex() throws {
        let clips = try plan(9, length: 1, interval: 3, firstIndex: 7)
        #expect(clips.map(\.file) == ["clip_0007.mp4", "clip_0008.mp4", "clip_0009.mp4"])
    }

    @Test("File names widen past four digits like Python's {:04d}", arguments: [
        (0, "clip_0000.mp4"), (7, "clip_0007.mp4"), (123, "clip_0123.mp4"), (9999, "clip_9999.mp4"), (12345, "clip_12345.mp4"),
    ])
    func fileNames(_ index: Int, _ name: String) {
        #expect(IsaacLabSchedule.fileName(index: index) == name)
    }

    @Test("Matches a step-by-step VideoRecorder simulation", arguments: [0, 1, 2, 4, 9, 17, 40])
    func oracle(_ total: Int) throws {
        for interval in [0, 1, 2, 3, 5, 8] {
            for length in [1, 2, 3, 4, 7] {
                for offset in [0, 1, 3] {
                    for stride in [1, 2, 3, 5] {
                        let expected = ScheduleOracle.isaacLab(steps: total, length: length, interval: interval,
                                                               offset: offset, stride: stride, firstIndex: 2)
                        let actual = try plan(total, length: length, interval: interval, offset: offset,
                                              stride: stride, firstIndex: 2).map(\.oracleClip)
                        #expect(actual == expected, "T=\(total) L=\(length) I=\(interval) offset=\(offset) stride=\(stride)")
                    }
                }
            }
        }
    }

    @Test("Invalid values are refused, naming the field", arguments: [
        (ScheduleParameters(totalSteps: -5, videoLength: 1, videoInterval: 0), "steps is -5; it must be 0 or more"),
        (ScheduleParameters(totalSteps: 5, videoLength: 0, videoInterval: 0), "video_length is 0; it must be at least 1"),
        (ScheduleParameters(totalSteps: 5, videoLength: 1, videoInterval: -1), "video_interval is -1; it must be 0 or more"),
        (ScheduleParameters(totalSteps: 5, videoLength: 1, videoInterval: 0, stepOffset: -1), "step_offset is -1; it must be 0 or more"),
        (ScheduleParameters(totalSteps: 5, videoLength: 1, videoInterval: 0, frameStride: 0), "frame_stride is 0; it must be at least 1"),
        (ScheduleParameters(totalSteps: 5, videoLength: 1, videoInterval: 0, firstClipIndex: -1), "first_clip_index is -1; it must be 0 or more"),
    ])
    func invalid(_ parameters: ScheduleParameters, _ message: String) {
        let error = #expect(throws: ScheduleError.self) { try ScheduleKind.isaaclab.plan(parameters) }
        #expect(error?.description == message)
    }
}

@Suite("Isaac Lab clip numbering in an existing folder")
struct IsaacLabClipNamingTests {
    @Test("Next index after the highest matching clip", arguments: [
        ([String](), 0),
        (["clip_0000.mp4"], 1),
        (["clip_0000.mp4", "clip_0007.mp4", "clip_0003.mp4"], 8),
        (["clip_12345.mp4"], 12346),
        (["clip_7.mp4"], 8),
        (["clip_0002.mp4\n"], 3),
        (["clip_\u{0663}.mp4"], 4),
        (["rl-video-step-0.mp4", "clip_.mp4", "clip_0001.mp4.tmp", "xclip_0005.mp4", "clip_0x1.mp4", "clip_-1.mp4",
          "clip_ 1.mp4", "CLIP_0001.mp4", "clip_0001.MP4", "clip_0001.mp4\n\n", "clip_99999999999999999999999.mp4"], 0),
        (["notes.txt", "clip_0004.mp4", "clip_0002.mp4"], 5),
    ])
    func nextIndex(_ names: [String], _ expected: Int) {
        #expect(IsaacLabClipNaming.nextClipIndex(existingFileNames: names) == expected)
    }
}
