/// Why a worker was declared lost.
public enum WorkerLoss: Sendable, Equatable {
    /// Silent past the heartbeats it is allowed (`Liveness`).
    case silent
    /// A send to it failed.
    case unreachable
    /// Alive, but no frame of its clip rendered for this many seconds (`SchedulerPolicy.stallTimeout`):
    /// a hung GPU driver, a wedged encoder, or a peer that takes clips and never renders them.
    case stalled(seconds: Double)
}
