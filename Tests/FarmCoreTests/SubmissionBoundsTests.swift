import Foundation
import Testing
@testable import FarmCore

/// Every count and name a submission states is bounded before anything is made for it (issue 10,
/// defects 3, 4, 5 and 6).
struct ScheduleWindowTests {
    /// The old way: every clip of the run, then those whose first frame is in the window.
    static func bruteForce(_ kind: ScheduleKind, _ parameters: ScheduleParameters,
                           _ window: Range<Int>) throws -> ScheduleWindow {
        let all = try kind.plan(parameters)
        let inside = all.filter { window.contains($0.envStepIndices.first) }
        let before = all.last { $0.envStepIndices.first < window.lowerBound }
        return ScheduleWindow(clips: inside, preceding: before)
    }

    static let cases: [(ScheduleKind, ScheduleParameters)] = {
        var cases: [(ScheduleKind, ScheduleParameters)] = []
        for total in [0, 1, 7, 50, 121] {
            for length in [1, 3, 10, 60] {
                for interval in [1, 4, 25] {
                    cases.append((.gymnasium, ScheduleParameters(totalSteps: total, videoLength: length,
                                                                 videoInterval: interval)))
                    for (offset, stride) in [(0, 1), (3, 2), (11, 5)] {
                        cases.append((.isaaclab, ScheduleParameters(
                            totalSteps: total, videoLength: length, videoInterval: interval == 25 ? 0 : interval,
                            stepOffset: offset, frameStride: stride, firstClipIndex: interval == 4 ? 7 : 0)))
                    }
                }
            }
        }
        return cases
    }()

    @Test func windowMatchesTheFullPlanFiltered() throws {
        for (kind, parameters) in Self.cases {
            for window in [0..<0, 0..<1, 0..<200, 5..<60, 24..<26, 100..<121, 130..<140] {
                let fast = try kind.plan(parameters, firstFramesIn: window, maxClips: 1000)
                let slow = try Self.bruteForce(kind, parameters, window)
                #expect(fast.clips == slow.clips, "\(kind) \(parameters) window \(window)")
                // The preceding clip matters when it reaches into the window (it is then reported).
                if let before = slow.preceding, let last = before.envStepIndices.last, last >= window.lowerBound {
                    #expect(fast.preceding == before, "\(kind) \(parameters) window \(window)")
                }
            }
        }
    }

    @Test func hugeRunsCostOnlyTheClipsKept() throws {
        let parameters = ScheduleParameters(totalSteps: 1 << 50, videoLength: 100, videoInterval: 1000)
        let window = try ScheduleKind.gymnasium.plan(parameters, firstFramesIn: ((1 << 50) - 5000)..<(1 << 50),
                                                     maxClips: 10)
        #expect(window.clips.count == 5)
        #expect(throws: ScheduleError.tooManyClips(count: 1_000_000_000, limit: 100)) {
            try ScheduleKind.gymnasium.plan(ScheduleParameters(totalSteps: 1_000_000_000, videoLength: 1, videoInterval: 1),
                                            firstFramesIn: 0..<1_000_000_000, maxClips: 100)
        }
    }

    static let overflowEdges: [(ScheduleKind, ScheduleParameters, String)] = [
        (.gymnasium, ScheduleParameters(totalSteps: 100, videoLength: .max, videoInterval: 10), "video_length"),
        (.gymnasium, ScheduleParameters(totalSteps: 100, videoLength: 10, videoInterval: .max), "video_interval"),
        (.gymnasium, ScheduleParameters(totalSteps: .max, videoLength: 10, videoInterval: 10), "steps"),
        (.isaaclab, ScheduleParameters(totalSteps: 100, videoLength: 10, videoInterval: 10, stepOffset: .max), "step_offset"),
        (.isaaclab, ScheduleParameters(totalSteps: 100, videoLength: 10, videoInterval: 10, frameStride: .max), "frame_stride"),
        (.isaaclab, ScheduleParameters(totalSteps: 100, videoLength: 10, videoInterval: .min), "video_interval"),
        (.isaaclab, ScheduleParameters(totalSteps: 100, videoLength: 10, videoInterval: 10, firstClipIndex: .max),
         "first_clip_index"),
    ]

    @Test(arguments: overflowEdges)
    func intOverflowEdgesAreRefusedByName(kind: ScheduleKind, parameters: ScheduleParameters, field: String) {
        let error = #expect(throws: ScheduleError.self) {
            try kind.plan(parameters, firstFramesIn: 0..<100, maxClips: 100)
        }
        #expect(error?.description.hasPrefix("\(field) is ") == true, "\(error.map(String.init(describing:)) ?? "")")
    }
}

struct RolloutBoundsTests {
    /// A rollout file with a hand-written header, as a hostile client would send it.
    static func file(_ header: [String: Any], body: Data = Data()) throws -> String {
        let json = try JSONSerialization.data(withJSONObject: header)
        var data = Data(RolloutFormat.magic)
        data.append(LittleEndianCoding.bytes(UInt64(json.count)))
        data.append(json)
        data.append(body)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-\(UUID().uuidString).rollout").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func header(firstStep: Int = 0, steps: Int = 1, bodies: Int = 0, envs: Int = 1) -> [String: Any] {
        ["version": 1, "step_dt": 1.0 / 60, "first_step": firstStep, "steps": steps, "num_bodies": bodies,
         "num_envs": envs, "shapes": [[String: Any]]()]
    }

    static let hostile: [(String, [String: Int])] = [
        ("first_step", ["first_step": 1_000_000_000_000_000_000]),
        ("steps", ["steps": 1_000_000_000_000_000_000]),
        ("num_bodies", ["num_bodies": 1 << 40]),
        ("num_envs", ["num_envs": 1 << 40]),
        ("steps × num_bodies", ["steps": 1 << 50, "num_bodies": 1 << 20]),
    ]

    @Test(arguments: hostile)
    func hugeHeaderCountsAreRefusedByName(field: String, counts: [String: Int]) throws {
        let path = try Self.file(Self.header().merging(counts) { $1 })
        defer { unlink(path) }
        let error = #expect(throws: RolloutError.self) { try RolloutFile(path: path) }
        #expect(error?.description.hasPrefix("rollout header: \(field) ") == true, "\(String(describing: error))")
    }

    @Test func aBillionStepsWithoutBodiesIsAValidSmallFile() throws {
        let path = try Self.file(Self.header(steps: 1_000_000_000))
        defer { unlink(path) }
        #expect(try RolloutFile(path: path).header.stepRange == 0..<1_000_000_000)
    }

    @Test func nonFinitePosesAreCountedAndTheFirstIsNamed() throws {
        var values = [Float](repeating: 0, count: 5 * 3 * 7)
        values[1 * 21 + 2 * 7 + 6] = .nan          // step 11, body 2, qw
        values[3 * 21 + 0 * 7 + 1] = .infinity     // step 13, body 0, py
        values[4 * 21 + 1 * 7 + 0] = -.infinity
        let path = try Self.file(Self.header(firstStep: 10, steps: 5, bodies: 3), body: LittleEndianCoding.bytes(values))
        defer { unlink(path) }
        let file = try RolloutFile(path: path)
        #expect(throws: RolloutError.nonFiniteBodyPoses(step: 11, body: 2, component: 6, count: 3)) {
            try file.checkFiniteBodyPoses()
        }
        #expect(RolloutError.nonFiniteBodyPoses(step: 11, body: 2, component: 6, count: 3).description
            == "rollout body_q holds 3 NaN or infinite values; the first is step 11, body 2, qw")
    }

    @Test func finitePosesPassTheScanAcrossChunks() throws {
        // 4 MiB chunks: 200,000 poses (5.6 MB) spans two, and the bad value sits in the second.
        var values = [Float](repeating: 0.5, count: 200_000 * 7)
        let path = try Self.file(Self.header(steps: 200_000, bodies: 1), body: LittleEndianCoding.bytes(values))
        defer { unlink(path) }
        try RolloutFile(path: path).checkFiniteBodyPoses()
        values[190_000 * 7 + 3] = .nan
        let bad = try Self.file(Self.header(steps: 200_000, bodies: 1), body: LittleEndianCoding.bytes(values))
        defer { unlink(bad) }
        #expect(throws: RolloutError.nonFiniteBodyPoses(step: 190_000, body: 0, component: 3, count: 1)) {
            try RolloutFile(path: bad).checkFiniteBodyPoses()
        }
    }
}

struct NameAndFrameLimitTests {
    static let tooLong: [String] = [String(repeating: "x", count: 5000), String(repeating: "é", count: 200),
                                    String(repeating: "x", count: 256)]

    @Test(arguments: tooLong)
    func namesLongerThanNAMEMAXAreRefused(name: String) {
        for field in [PathField.workflow, .task, .run] {
            #expect(throws: LayoutError.tooLong(field, value: name, bytes: name.utf8.count)) {
                try PathComponent(name, field: field)
            }
        }
        let error = LayoutError.tooLong(.run, value: name, bytes: name.utf8.count)
        #expect(error.description.contains("\(name.utf8.count) bytes") && error.description.count < 200)
    }

    @Test func namesUpToNAMEMAXBytesAreAccepted() throws {
        _ = try PathComponent(String(repeating: "é", count: 127), field: .run)
        _ = try PathComponent(String(repeating: "x", count: 255), field: .run)
    }

    @Test func aClipFolderTooDeepForPATHMAXIsRefused() throws {
        let name = String(repeating: "x", count: 255)
        let root = "/" + Array(repeating: name, count: 14).joined(separator: "/")
        #expect(throws: LayoutError.self) { try RunLayout(logsRoot: root, workflow: name, task: "t", run: "r") }
        _ = try RunLayout(logsRoot: "/" + Array(repeating: name, count: 10).joined(separator: "/"),
                          workflow: "w", task: "t", run: "r")
    }

    static let sizes: [(Int, Int, Bool)] = [
        (1280, 720, true), (4096, 2176, true), (8192, 4320, true), (8192, 4352, true), (16384, 8, true),
        (8192, 4368, false), (16384, 8720, false), (16384, 16384, false), (16400, 16, false), (16, 16400, false), (1281, 720, false),
    ]

    @Test(arguments: sizes)
    func frameSizesAreThoseLibx264AndH264LevelsEncode(width: Int, height: Int, accepted: Bool) {
        let task = TaskConfig(name: "t", viewer: .isaacLabDefault, frameSize: FrameSize(width: width, height: height))
        let result = Result { () throws(CameraConfigError) in try RecorderCamera.resolve(task: task) }
        if accepted {
            #expect(throws: Never.self) { try result.get() }
        } else {
            let error = #expect(throws: CameraConfigError.self) { try result.get() }
            let text = error?.description ?? ""
            #expect(text.contains("16384") || text.contains("139264"), "\(text)")
        }
    }
}
