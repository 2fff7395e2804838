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
    /// Seconds a worker may hold a clip without rendering a frame of it (from the TASK, or from its
    /// last frame) before it is declared lost and the clip goes to another: its heartbeats show it
    /// alive, but a hung driver or a peer that never renders would hold the clip forever.
    public var stallTimeout: Double

    public init(maxRetries: Int = 2, blocklistAfter: Int = 3, poisonAfterLostWorkers: Int = 2,
                liveness: Liveness = Liveness(), stallTimeout: Double = 300) {
        self.maxRetries = maxRetries
        self.blocklistAfter = blocklistAfter
        self.poisonAfterLostWorkers = poisonAfterLostWorkers
        self.liveness = liveness
        self.stallTimeout = stallTimeout
    }

    /// Whether a worker whose clip's frames last advanced at `progressAt` has stalled by `now`. Once
    /// every frame is rendered the clip is being encoded and sent, which a slow link may stretch: not
    /// a stall.
    public func isStalled(progress: ClipProgress?, progressAt: Double?, now: Double) -> Bool {
        guard let progressAt else { return false }
        if let progress, progress.framesDone >= progress.framesTotal { return false }
        return now - progressAt > stallTimeout
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
