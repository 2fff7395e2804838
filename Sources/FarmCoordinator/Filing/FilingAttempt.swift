/// What the coordinator's filing step did with a worker's clip, as the scheduler takes it.
public enum FilingAttempt: Sendable, Equatable {
    /// Filed (or superseded under `keep_last_n_clips`): the clip is done.
    case done(FilingOutcome)
    /// The logs root could not take it through the coordinator's own storage fault, and the clip is
    /// safely held: the worker is not charged, and the clip is filed later.
    case held(reason: String)
    /// Filing failed otherwise: a failed attempt, retried on another worker.
    case failed(reason: String)
}
