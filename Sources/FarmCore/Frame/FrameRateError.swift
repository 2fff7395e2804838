/// A frame rate or step length outside what the farm accepts, named by its field.
public enum FrameRateError: Error, Equatable, Sendable, CustomStringConvertible {
    case stepDTOutOfRange(field: String, value: Double)
    case fpsOutOfRange(field: String, value: Double)

    public var description: String {
        switch self {
        case let .stepDTOutOfRange(field, value):
            "\(field) is \(value) s; it must be from \(FrameRate.stepDTRange.lowerBound) to "
                + "\(FrameRate.stepDTRange.upperBound) s (a clip plays at 1/\(field), at most "
                + "\(FrameRate.fpsRange.upperBound) fps)"
        case let .fpsOutOfRange(field, value):
            "\(field) is \(value) fps; it must be from \(FrameRate.fpsRange.lowerBound) to \(FrameRate.fpsRange.upperBound) fps"
        }
    }
}
