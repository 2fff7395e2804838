import Testing
@testable import FarmCore

/// One input of Isaac Lab 3's fps resolution and the fps its `VideoRecorder._close_clip` writes
/// (each expectation computed with Python 3.11 from the same expressions).
struct FrameRateCase: Sendable, CustomTestStringConvertible {
    var fps: Int?
    var renderFPS: Double?
    var stepDT: Double?
    var stride = 1
    let expected: Int
    var testDescription: String {
        "fps=\(fps.map(String.init) ?? "None") render_fps=\(renderFPS.map { "\($0)" } ?? "None") "
            + "step_dt=\(stepDT.map { "\($0)" } ?? "None") stride=\(stride) → \(expected)"
    }
}

@Suite("fps as Isaac Lab 3's recorder resolves it")
struct IsaacLabFrameRateTests {
    static let cases: [FrameRateCase] = [
        // An explicit fps wins and is not divided by the stride.
        FrameRateCase(fps: 24, renderFPS: 100, stepDT: 1.0 / 60, stride: 4, expected: 24),
        // render_fps (Isaac Lab's envs set 1/step_dt) beats step_dt.
        FrameRateCase(renderFPS: 50, stepDT: 0.01, expected: 50),
        FrameRateCase(renderFPS: 1 / 0.0166, stepDT: 0.0166, expected: 60),
        FrameRateCase(renderFPS: 29.6, stride: 4, expected: 7),
        // round(1/step_dt), then the stride, each rounded half to even.
        FrameRateCase(stepDT: 1.0 / 60, expected: 60),
        FrameRateCase(stepDT: 0.0166, expected: 60),
        FrameRateCase(stepDT: 1001.0 / 30000, expected: 30),
        FrameRateCase(stepDT: 0.02, expected: 50),
        FrameRateCase(stepDT: 1.0 / 60, stride: 2, expected: 30),
        FrameRateCase(stepDT: 1.0 / 60, stride: 7, expected: 9),
        FrameRateCase(stepDT: 1.0 / 60, stride: 8, expected: 8),
        FrameRateCase(stepDT: 1.0 / 30, stride: 4, expected: 8),
        FrameRateCase(stepDT: 1.0 / 45, stride: 2, expected: 22),
        FrameRateCase(stepDT: 1 / 29.6, stride: 4, expected: 8),
        FrameRateCase(stepDT: 0.0125, stride: 3, expected: 27),
        // Never below 1 fps.
        FrameRateCase(stepDT: 2.0, expected: 1),
        FrameRateCase(stepDT: 1.0 / 60, stride: 200, expected: 1),
        // No render_fps and no usable step_dt: 30.
        FrameRateCase(expected: 30),
        FrameRateCase(stepDT: 0, stride: 2, expected: 15),
    ]

    @Test("the table", arguments: cases)
    func resolves(_ row: FrameRateCase) throws {
        #expect(try IsaacLabFrameRate.resolve(fps: row.fps, renderFPS: row.renderFPS, stepDT: row.stepDT,
                                              frameStride: row.stride) == row.expected)
    }

    @Test("unusable inputs name their field", arguments: [
        (0, nil, 1.0 / 60, 1, "fps"), (-5, nil, 1.0 / 60, 1, "fps"),
        (nil, 0, 1.0 / 60, 1, "render_fps"), (nil, -.infinity, 1.0 / 60, 1, "render_fps"),
        (nil, .nan, 1.0 / 60, 1, "render_fps"), (nil, nil, -0.01, 1, "step_dt"),
        (nil, nil, 1.0 / 60, 0, "frame_stride"),
    ] as [(Int?, Double?, Double?, Int, String)])
    func refuses(fps: Int?, renderFPS: Double?, stepDT: Double?, stride: Int, field: String) {
        #expect {
            try IsaacLabFrameRate.resolve(fps: fps, renderFPS: renderFPS, stepDT: stepDT, frameStride: stride)
        } throws: { error in
            guard case let .notPositive(named, _) = error as? IsaacLabFrameRateError else { return false }
            return named == field
        }
    }

    /// Issue 19, finding 2: positive rates a container cannot hold are refused by name.
    @Test("rates above the farm's range name their field", arguments: [
        (1 << 31, nil, 1.0 / 60, "fps"), (1001, nil, 1.0 / 60, "fps"),
        (nil, 1e300, 1.0 / 60, "render_fps"), (nil, 1000.5, 1.0 / 60, "render_fps"),
        (nil, nil, 1e-10, "step_dt"), (nil, nil, .leastNonzeroMagnitude, "step_dt"),
    ] as [(Int?, Double?, Double?, String)])
    func refusesOutOfRange(fps: Int?, renderFPS: Double?, stepDT: Double?, field: String) {
        #expect {
            try IsaacLabFrameRate.resolve(fps: fps, renderFPS: renderFPS, stepDT: stepDT, frameStride: 1)
        } throws: { error in
            guard case let .outOfRange(rate) = error as? IsaacLabFrameRateError else { return false }
            return rate.description.hasPrefix("\(field) is ")
        }
    }

    @Test("where it differs from the exact rational the gymnasium schedule writes")
    func differsFromTheExactRational() throws {
        // 1/0.0166 = 60.24…: gymnasium's schedule keeps the rational, Isaac Lab rounds to 60.
        #expect(try FrameRate(stepDT: 0.0166) != FrameRate(numerator: 60, denominator: 1))
        #expect(try IsaacLabFrameRate.resolve(fps: nil, renderFPS: nil, stepDT: 0.0166, frameStride: 1) == 60)
        // NTSC 30000/1001 becomes 30.
        #expect(try FrameRate(stepDT: 1001.0 / 30000) == FrameRate(numerator: 30000, denominator: 1001))
        #expect(try IsaacLabFrameRate.resolve(fps: nil, renderFPS: nil, stepDT: 1001.0 / 30000, frameStride: 1) == 30)
    }
}
