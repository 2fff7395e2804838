import FarmCore

/// A clip handed to a worker: the server sends it as a TASK.
public struct Dispatch: Sendable, Equatable {
    public var worker: WorkerID
    public var job: TrackedJob
    public var clip: TrackedClip

    public var attempt: Int { clip.attempts }
}

/// What the server must do after the scheduler took an event.
public enum SchedulerEffect: Sendable, Equatable {
    case dispatch(Dispatch)
    /// Tell the worker to abandon this clip (cancelled job, or work the coordinator no longer expects).
    case cancel(worker: WorkerID, clip: ClipKey, attempt: Int)
    /// Tell a worker it was declared lost: it must send READY again before it gets work.
    case disconnect(worker: WorkerID)
    /// A job reached a final state.
    case jobSettled(JobID, JobState)
    /// A worker was declared lost; the clip it held, if any, went back to the queue.
    case workerLost(WorkerID, requeued: ClipKey?, cause: WorkerLoss = .silent)
    /// A dispatched clip went back to the queue without using a retry (its worker was lost, left,
    /// or reported not holding it): the metrics count it.
    case clipRequeued(ClipKey)
    /// A failed attempt left the clip a retry: it went back to the queue. The metrics count it.
    case clipRetried(ClipKey)
    /// A clip's worker was lost once too often (`SchedulerPolicy.poisonAfterLostWorkers`): it failed.
    case clipPoisoned(ClipKey, reason: String)
    /// The scheduler found its own bookkeeping wrong (a coordinator bug): log it as an error.
    case inconsistency(String)
}

/// What became of a worker's RESULT or FAILED.
public enum ReportVerdict: Sendable, Equatable {
    /// Accepted; for a result, the clip's path.
    case accepted(path: String?)
    /// Not the clip's current attempt on that worker (late, duplicate, cancelled or unknown): dropped.
    case dropped(reason: String)
    /// The result was current but could not be filed; counted as a failure of the attempt.
    case filingFailed(reason: String)
    /// The result was current and kept by the coordinator, which could not file it yet (its own
    /// storage fault): the attempt counts as done, and the clip is filed later.
    case held(reason: String)
}
