import Foundation
import Testing
@testable import FarmCore

/// The Isaac Lab rule that also runs in the trainer (the step trigger, on the training thread; naming,
/// keep-last and the clip's rate are the coordinator's, asked with SUBMIT's `clip_prefix`), as a table
/// of cases computed here from the coordinator's schedule and checked in as
/// python/tests/fixtures/isaaclab_rules.json, which python/tests/test_isaaclab_rules.py holds the
/// Python recorder's trigger to. This test fails when the table is not what the Swift rule gives;
/// run it with RENDERFARM_WRITE_FIXTURES=1 to write it again.
struct IsaacLabRuleCasesTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("python/tests/fixtures/isaaclab_rules.json")

    struct ScheduleCase: Codable, Equatable {
        let totalSteps, videoLength, videoInterval, stepOffset, frameStride: Int
        /// Each clip's frames as `VideoRecorder`'s step numbers (the first `env.step()` is 1).
        var clips: [[Int]] = []
    }

    struct Cases: Codable, Equatable {
        var schedules: [ScheduleCase]
    }

    static func schedule(_ steps: Int, length: Int, interval: Int, offset: Int = 0, stride: Int = 1) -> ScheduleCase {
        ScheduleCase(totalSteps: steps, videoLength: length, videoInterval: interval, stepOffset: offset,
                     frameStride: stride)
    }

    static let inputs = Cases(schedules: [
        schedule(40, length: 5, interval: 10),
        schedule(40, length: 6, interval: 10, offset: 3, stride: 2),
        schedule(30, length: 4, interval: 0),
        schedule(25, length: 12, interval: 5, offset: 2, stride: 3),
        schedule(20, length: 3, interval: 7, stride: 4),
        schedule(17, length: 8, interval: 8, offset: 1, stride: 2),
        schedule(5, length: 10, interval: 3, offset: 10),
        schedule(12, length: 1, interval: 1, stride: 1),
    ])

    static func computed() throws -> Cases {
        var cases = inputs
        for index in cases.schedules.indices {
            let parameters = cases.schedules[index]
            let planned = try IsaacLabSchedule.plan(ScheduleParameters(
                totalSteps: parameters.totalSteps, videoLength: parameters.videoLength,
                videoInterval: parameters.videoInterval, stepOffset: parameters.stepOffset,
                frameStride: parameters.frameStride))
            cases.schedules[index].clips = planned.map { Array($0.steps) }
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
