import FarmCore

/// What the scheduler needs of its durable state: the unfinished work to resume at start, new jobs
/// (inserted off the coordinator's loop, then adopted: `Scheduler.adopt`),
/// and one transaction per event. `CoordinatorStore` (SQLite) is the coordinator's; the scheduler
/// depends only on this seam.
public protocol SchedulerStore: AnyObject {
    func job(_ id: JobID) throws(StoreError) -> TrackedJob?
    /// Jobs in submission order; only those in `states` when given.
    func jobs(in states: [JobState]?) throws(StoreError) -> [TrackedJob]
    func clips(of job: JobID) throws(StoreError) -> [TrackedClip]
    /// Failed attempts of a job per worker, which rebuild the blocklist after a restart.
    func failedAttemptCounts(of job: JobID) throws(StoreError) -> [WorkerID: Int]
    func workers() throws(StoreError) -> [TrackedWorker]
    /// Inserts a job and its planned clips; `rolloutPath` maps the new id to its spool file.
    func insertJob(spec: JobSpec, clips: [ClipPlan], submittedAt: Double,
                   rolloutPath: @escaping (JobID) -> String) throws(StoreError) -> (TrackedJob, [TrackedClip])
    /// Writes everything one event changed, all or nothing.
    func commit(_ changes: SchedulerChanges, _ operation: String) throws(StoreError)
}

/// The records one scheduler event changed, written together.
public struct SchedulerChanges: Sendable, Equatable {
    public var jobs: [TrackedJob]
    public var clips: [TrackedClip]
    public var attempts: [AttemptRecord]
    public var workers: [TrackedWorker]

    public init(jobs: [TrackedJob] = [], clips: [TrackedClip] = [], attempts: [AttemptRecord] = [],
                workers: [TrackedWorker] = []) {
        self.jobs = jobs
        self.clips = clips
        self.attempts = attempts
        self.workers = workers
    }
}

extension CoordinatorStore: SchedulerStore {
    public func commit(_ changes: SchedulerChanges, _ operation: String) throws(StoreError) {
        try batch(operation) { batch in
            for job in changes.jobs { try batch.update(job) }
            for clip in changes.clips { try batch.update(clip) }
            for attempt in changes.attempts { try batch.save(attempt) }
            for worker in changes.workers { try batch.save(worker) }
        }
    }
}
