import FarmCore

/// Everything that can stop a clip from being written, each case naming what was wrong and where.
public enum EncodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// H.264 in yuv420p halves the chroma planes, so both dimensions must be even.
    case oddSize(width: Int, height: Int)
    case invalidSize(width: Int, height: Int)
    case invalidSettings(String)
    case frameSizeMismatch(frameIndex: Int, expected: String, got: String)
    /// A clip takes either RGB or I420 frames: the two travel different queues, so mixing them
    /// could reorder frames.
    case mixedFrameFormats(frameIndex: Int, expected: String, got: String)
    case encoderUnavailable(String)
    /// A libav call failed: which call, on which file, and libav's own message for the code.
    case libav(call: String, path: String, code: Int32, message: String)
    case fileSystem(operation: String, path: String, message: String)
    case noFrames(path: String)
    /// append or finish after the clip was finished, abandoned, or failed earlier.
    case closed(path: String)

    public var description: String {
        switch self {
        case .oddSize(let width, let height):
            return "clip size \(width)x\(height) has an odd dimension; H.264 yuv420p needs even width and height (render at e.g. \(width + width % 2)x\(height + height % 2))"
        case .invalidSize(let width, let height):
            return "clip size \(width)x\(height) is not a positive size"
        case .invalidSettings(let reason):
            return "encoder settings: \(reason)"
        case .frameSizeMismatch(let index, let expected, let got):
            return "frame \(index) is \(got) but the clip was opened at \(expected)"
        case .mixedFrameFormats(let index, let expected, let got):
            return "frame \(index) is \(got) but the clip's earlier frames are \(expected); append one format per clip"
        case .encoderUnavailable(let name):
            return "no usable video encoder: \(name) (install an ffmpeg build with libx264, e.g. Debian's libavcodec59)"
        case .libav(let call, let path, let code, let message):
            return "\(call) failed for \(path): \(message) (libav error \(code))"
        case .fileSystem(let operation, let path, let message):
            return "could not \(operation) \(path): \(message)"
        case .noFrames(let path):
            return "no frames were appended to \(path); a clip needs at least one"
        case .closed(let path):
            return "clip \(path) is already finished, abandoned or failed; open a new ClipEncoder"
        }
    }
}

extension EncodeError: RetryVerdict {
    /// This worker's encoder build, settings, libav and disk may differ elsewhere; a frame size or a
    /// frame count the request gives, and misuse of the encoder's own sequence, fail on every worker.
    public var retryElsewhere: Bool {
        switch self {
        case .invalidSettings, .encoderUnavailable, .libav, .fileSystem: true
        case .oddSize, .invalidSize, .frameSizeMismatch, .mixedFrameFormats, .noFrames, .closed: false
        }
    }
}
