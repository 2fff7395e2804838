/// The playback fps Isaac Lab 3's recorder writes a clip at (`VideoRecorder._close_clip` in
/// `isaaclab/envs/utils/video_recorder.py`, isaaclab 3.0.0):
///
/// 1. `fps` when the stream's `VideoRecorderCfg.fps` is set, used as is;
/// 2. else `base = env.metadata["render_fps"]` when the env has one (Isaac Lab's own envs set it to
///    `1 / step_dt`), else `round(1 / step_dt)`, else 30 when `step_dt` is missing or zero;
///    then `max(1, round(base / frame_stride))`: one frame every `frame_stride` steps plays slower.
///
/// `round` is Python's: halves go to the even neighbour. Always a whole number of frames per
/// second, unlike the exact rational `FrameRate(stepDT:)` the gymnasium schedule writes.
public enum IsaacLabFrameRate {
    /// The fallback when the env has neither `render_fps` nor a usable `step_dt`.
    public static let defaultFPS = 30

    public static func resolve(fps: Int?, renderFPS: Double?, stepDT: Double?,
                               frameStride: Int) throws(IsaacLabFrameRateError) -> Int {
        if let fps {
            guard fps > 0 else { throw .notPositive(field: "fps", value: Double(fps)) }
            do { try FrameRate.check(fps: Double(fps), field: "fps") } catch { throw .outOfRange(error) }
            return fps
        }
        guard frameStride >= 1 else { throw .notPositive(field: "frame_stride", value: Double(frameStride)) }
        let base: Double
        if let renderFPS {
            guard renderFPS > 0, renderFPS.isFinite else { throw .notPositive(field: "render_fps", value: renderFPS) }
            do { try FrameRate.check(fps: renderFPS, field: "render_fps") } catch { throw .outOfRange(error) }
            base = renderFPS
        } else if let stepDT, stepDT != 0 {
            guard stepDT > 0, stepDT.isFinite else { throw .notPositive(field: "step_dt", value: stepDT) }
            do { try FrameRate.check(stepDT: stepDT, field: "step_dt") } catch { throw .outOfRange(error) }
            base = pythonRound(1 / stepDT)
        } else {
            base = Double(defaultFPS)
        }
        let strided = pythonRound(base / Double(frameStride))
        return max(1, Int(exactly: strided) ?? Int.max)
    }

    /// Python 3's `round(x)`: to the nearest integer, halves to the even one.
    static func pythonRound(_ x: Double) -> Double { x.rounded(.toNearestOrEven) }
}

/// An fps input that cannot give a frame rate, named by its Isaac Lab field.
public enum IsaacLabFrameRateError: Error, Equatable, Sendable, CustomStringConvertible {
    case notPositive(field: String, value: Double)
    /// Positive, but outside the rates the farm plays (`FrameRate.fpsRange`).
    case outOfRange(FrameRateError)

    public var description: String {
        switch self {
        case let .notPositive(field, value):
            "\(field) is \(value); it must be a positive, finite number"
        case let .outOfRange(error):
            error.description
        }
    }
}
