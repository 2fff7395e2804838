import Testing
@testable import FarmCore

/// (T, L, I) and the clips expected as (first step, frames).
struct GymnasiumCase: Sendable, CustomTestStringConvertible {
    let total: Int
    let length: Int
    let interval: Int
    let expected: [(firstStep: Int, frames: Int)]
    var testDescription: String { "T=\(total) L=\(length) I=\(interval)" }
}

@Suite("gymnasium schedule (RecordVideo step trigger)")
struct GymnasiumScheduleTests {
    private func plan(_ total: Int, length: Int, interval: Int) throws -> [PlannedClip] {
        try ScheduleKind.gymnasium.plan(ScheduleParameters(totalSteps: total, videoLength: length, videoInterval: interval))
    }

    @Test("gymnasium 1.4.0 RecordVideo, measured: T=1200, interval 500, length 100")
    func measuredLong() throws {
        let clips = try plan(1200, length: 100, interval: 500)
        #expect(clips.map(\.file) == ["rl-video-step-0.mp4", "rl-video-step-500.mp4", "rl-video-step-1000.mp4"])
        #expect(clips.map(\.firstStep) == [0, 500, 1000])
        #expect(clips.map(\.frames) == [100, 100, 100])
        #expect(Array(clips[1].steps) == Array(500..<600))
    }

    @Test("gymnasium 1.4.0 RecordVideo, measured: T=100, interval 20, length 30 — clips cut by the next trigger")
    func measuredCut() throws {
        let clips = try plan(100, length: 30, interval: 20)
        #expect(clips.map(\.file) == [0, 20, 40, 60, 80].map { "rl-video-step-\($0).mp4" })
        #expect(clips.map(\.frames) == [20, 20, 20, 20, 20])
    }

    static let edgeCases: [GymnasiumCase] = [
        GymnasiumCase(total: 0, length: 100, interval: 500, expected: []),
        GymnasiumCase(total: 1, length: 100, interval: 500, expected: [(0, 1)]),
        GymnasiumCase(total: 99, length: 100, interval: 500, expected: [(0, 99)]),
        GymnasiumCase(total: 100, length: 100, interval: 500, expected: [(0, 100)]),
        GymnasiumCase(total: 501, length: 100, interval: 500, expected: [(0, 100), (500, 1)]),
        GymnasiumCase(total: 1050, length: 100, interval: 500, expected: [(0, 100), (500, 100), (1000, 50)]),
        GymnasiumCase(total: 5, length: 1, interval: 1, expected: [(0, 1), (1, 1), (2, 1), (3, 1), (4, 1)]),
        GymnasiumCase(total: 5, length: 3, interval: 1, expected: [(0, 1), (1, 1), (2, 1), (3, 1), (4, 1)]),
        GymnasiumCase(total: 10, length: 5, interval: 5, expected: [(0, 5), (5, 5)]),
        GymnasiumCase(total: 10, length: 6, interval: 5, expected: [(0, 5), (5, 5)]),
        GymnasiumCase(total: 10, length: 4, interval: 5, expected: [(0, 4), (5, 4)]),
        GymnasiumCase(total: 7, length: 200, interval: 2000, expected: [(0, 7)]),
        GymnasiumCase(total: 3000, length: 200, interval: 2000, expected: [(0, 200), (2000, 200)]),
    ]

    @Test("Edge cases", arguments: edgeCases)
    func edges(_ row: GymnasiumCase) throws {
        let clips = try plan(row.total, length: row.length, interval: row.interval)
        #expect(clips.map(\.firstStep) == row.expected.map(\.firstStep))
        #expect(clips.map(\.frames) == row.expected.map(\.frames))
        for clip in clips {
            #expect(clip.file == "rl-video-step-\(clip.firstStep).mp4")
            #expect(clip.triggerStep == clip.firstStep)
            #expect(clip.steps.stride == 1)
            #expect(clip.envStepIndices == clip.steps, "gymnasium's step_id is the env step index")
        }
    }

    @Test("Matches a step-by-step RecordVideo simulation", arguments: [0, 1, 2, 3, 7, 10, 31, 64])
    func oracle(_ total: Int) throws {
        for interval in [1, 2, 3, 5, 8, 13] {
            for length in [1, 2, 3, 4, 6, 9, 14] {
                let expected = ScheduleOracle.gymnasium(steps: total, length: length, interval: interval)
                let actual = try plan(total, length: length, interval: interval).map(\.oracleClip)
                #expect(actual == expected, "T=\(total) L=\(length) I=\(interval)")
            }
        }
    }

    @Test("Invalid values are refused, naming the flag", arguments: [
        (ScheduleParameters(totalSteps: -1, videoLength: 1, videoInterval: 1), "steps is -1; it must be 0 or more"),
        (ScheduleParameters(totalSteps: 10, videoLength: 0, videoInterval: 1), "video_length is 0; it must be at least 1"),
        (ScheduleParameters(totalSteps: 10, videoLength: -3, videoInterval: 1), "video_length is -3; it must be at least 1"),
        (ScheduleParameters(totalSteps: 10, videoLength: 1, videoInterval: 0), "video_interval is 0; it must be at least 1"),
        (ScheduleParameters(totalSteps: 10, videoLength: 1, videoInterval: -1), "video_interval is -1; it must be at least 1"),
        (ScheduleParameters(totalSteps: 10, videoLength: 1, videoInterval: 1, stepOffset: 2),
         "step_offset is 2, but the gymnasium schedule has no step_offset; it applies to the isaaclab schedule only"),
        (ScheduleParameters(totalSteps: 10, videoLength: 1, videoInterval: 1, frameStride: 2),
         "frame_stride is 2, but the gymnasium schedule has no frame_stride; it applies to the isaaclab schedule only"),
        (ScheduleParameters(totalSteps: 10, videoLength: 1, videoInterval: 1, firstClipIndex: 3),
         "first_clip_index is 3, but the gymnasium schedule has no first_clip_index; it applies to the isaaclab schedule only"),
    ])
    func invalid(_ parameters: ScheduleParameters, _ message: String) {
        let error = #expect(throws: ScheduleError.self) { try ScheduleKind.gymnasium.plan(parameters) }
        #expect(error?.description == message)
    }
}
