import FarmCore

/// The farm's fault-handling rules.
public struct SchedulerPolicy: Sendable, Equatable {
    /// Failures of a clip that are retried; the next failure fails the clip.
    public var maxRetries: Int
    /// A worker that failed this many attempts of a job gets no more of that job's clips.
    public var blocklistAfter: Int
    /// Workers lost while holding one clip (silent, crashed, unreachable) before the clip is failed
    /// as poison: a clip that kills every worker that takes it must not take down the whole farm.
    public var poisonAfterLostWorkers: Int
    public var liveness: Liveness

    public init(maxRetries: Int = 2, blocklistAfter: Int = 3, poisonAfterLostWorkers: Int = 2,
                liveness: Liveness = Liveness()) {
        self.maxRetries = maxRetries
        self.blocklistAfter = blocklistAfter
        self.poisonAfterLostWorkers = poisonAfterLostWorkers
        self.liveness = liveness
    }

    /// What a clip whose worker was just lost (the `lostWorkers`-th time) does next: back to the
    /// queue without using a retry, or failed as poison.
    public func afterLostWorker(lostWorkers: Int) -> ClipState.Event {
        lostWorkers >= poisonAfterLostWorkers ? .poison : .requeue
    }

    /// The failed clip's error when it is poison.
    public func poisonReason(lostWorkers: Int) -> String {
        "poison clip: \(lostWorkers) workers were lost while rendering it (the limit is \(poisonAfterLostWorkers), "
            + "poison_after_lost_workers); it is not sent to another. `farmctl retry` renders it again"
    }
}
