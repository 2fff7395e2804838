import FarmCore

/// Why a clip could not be produced (render and encode errors pass through as their own types).
public enum PipelineError: Error, Equatable, CustomStringConvertible {
    case emptyClip
    case stepOutsideRollout(step: Int, available: Range<Int>)
    case anchorBodyOutsideRollout(body: Int, numBodies: Int)
    case cancelled

    public var description: String {
        switch self {
        case .emptyClip:
            return "the clip has no frames"
        case .stepOutsideRollout(let step, let available):
            return "clip frame after env step \(step) is outside the rollout, which holds steps "
                + "\(available.lowerBound)..<\(available.upperBound)"
        case .anchorBodyOutsideRollout(let body, let numBodies):
            return "the camera follows body \(body), but the rollout's rows hold \(numBodies) bodies"
        case .cancelled:
            return "clip cancelled"
        }
    }
}

extension PipelineError: RetryVerdict {
    /// An empty clip or a step outside the rollout is the request's fault; a cancelled clip was
    /// stopped by the coordinator, not failed by this worker.
    public var retryElsewhere: Bool {
        switch self {
        case .emptyClip, .stepOutsideRollout, .anchorBodyOutsideRollout: false
        case .cancelled: true
        }
    }
}
