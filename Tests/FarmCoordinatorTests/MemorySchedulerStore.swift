import FarmCore

@testable import FarmCoordinator

/// The scheduler's store seam in plain memory, for pure scheduler tests: it keeps what
/// `CoordinatorStore` keeps, with the same upsert rules, and no SQLite. Tests of persistence and
/// restarts use the real store.
final class MemorySchedulerStore: SchedulerStore {
    private var jobRecords: [JobID: TrackedJob] = [:]
    private var clipRecords: [ClipKey: TrackedClip] = [:]
    private var attemptRecords: [ClipKey: [Int: AttemptRecord]] = [:]
    private var workerRecords: [WorkerID: TrackedWorker] = [:]
    private var lastJobID: JobID = 0

    func job(_ id: JobID) -> TrackedJob? { jobRecords[id] }

    func jobs(in states: [JobState]?) -> [TrackedJob] {
        jobRecords.values.filter { states?.contains($0.state) ?? true }.sorted { $0.id < $1.id }
    }

    func clips(of job: JobID) -> [TrackedClip] {
        clipRecords.values.filter { $0.key.job == job }.sorted { $0.key < $1.key }
    }

    func failedAttemptCounts(of job: JobID) -> [WorkerID: Int] {
        var counts: [WorkerID: Int] = [:]
        for (key, attempts) in attemptRecords where key.job == job {
            for attempt in attempts.values where attempt.outcome == .failed { counts[attempt.worker, default: 0] += 1 }
        }
        return counts
    }

    func workers() -> [TrackedWorker] { workerRecords.values.sorted { $0.id < $1.id } }

    func insertJob(spec: JobSpec, clips: [ClipPlan], submittedAt: Double,
                   rolloutPath: @escaping (JobID) -> String) -> (TrackedJob, [TrackedClip]) {
        lastJobID += 1
        let job = TrackedJob(id: lastJobID, spec: spec, submittedAt: submittedAt, rolloutPath: rolloutPath(lastJobID))
        let records = clips.enumerated().map { TrackedClip(key: ClipKey(job: job.id, index: $0.offset), plan: $0.element) }
        jobRecords[job.id] = job
        for clip in records { clipRecords[clip.key] = clip }
        return (job, records)
    }

    func commit(_ changes: SchedulerChanges, _ operation: String) {
        for job in changes.jobs { jobRecords[job.id] = job }
        for clip in changes.clips { clipRecords[clip.key] = clip }
        for attempt in changes.attempts {
            // As the SQLite store's upsert: a known attempt keeps its worker and start, takes the end.
            var record = attemptRecords[attempt.clip]?[attempt.attempt] ?? attempt
            record.endedAt = attempt.endedAt
            record.outcome = attempt.outcome
            record.error = attempt.error
            attemptRecords[attempt.clip, default: [:]][attempt.attempt] = record
        }
        for worker in changes.workers { workerRecords[worker.id] = worker }
    }
}
