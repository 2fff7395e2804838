/// The farm's fault-handling rules.
public struct SchedulerPolicy: Sendable, Equatable {
    /// Failures of a clip that are retried; the next failure fails the clip.
    public var maxRetries: Int
    /// A worker that failed this many attempts of a job gets no more of that job's clips.
    public var blocklistAfter: Int
    public var liveness: Liveness

    public init(maxRetries: Int = 2, blocklistAfter: Int = 3, liveness: Liveness = Liveness()) {
        self.maxRetries = maxRetries
        self.blocklistAfter = blocklistAfter
        self.liveness = liveness
    }
}
