import FarmCore

/// The coordinator's decisions, free of sockets and threads: jobs, clips and workers in memory,
/// written through to the store on every event (one transaction per event), and the effects the
/// server must carry out. Times are seconds since 1970, passed in so tests control them.
///
/// Rules:
/// - each idle worker gets one clip at a time, pending clips in (job, index) order;
/// - a lost or departed worker's clip goes back to pending without using a retry, except that a clip
///   whose workers were lost `poisonAfterLostWorkers` times (silent, crashed or unreachable mid-clip,
///   after a heartbeat confirmed they rendered it; a goodbye does not count) fails as poison: one clip
///   that kills workers cannot take them all;
/// - a failed clip is retried up to `maxRetries` times, on workers it has not failed on while any
///   live worker qualifies (if only workers it failed on are left, they may retry it, so a farm of one
///   still settles the clip);
/// - a worker that failed `blocklistAfter` attempts of a job gets no more of that job; if every live
///   worker is blocklisted, the job's pending clips fail with the last error;
/// - a RESULT or FAILED counts only for the clip's current attempt on the worker it went to (fencing),
///   so each clip is accepted exactly once;
/// - a job ends `completed` when every clip is done, `failed` when every clip is settled and some failed.
public final class Scheduler {
    public let store: any SchedulerStore
    public let policy: SchedulerPolicy

    public private(set) var jobs: [JobID: TrackedJob] = [:]
    private(set) var clips = ClipTable()
    public private(set) var workers: [WorkerID: TrackedWorker] = [:]
    /// What was wrong in the stored state and has been repaired (a dispatched clip with no worker is
    /// requeued); the server logs each as an error.
    public private(set) var restoreProblems: [String] = []
    private var pending = PendingClips()
    /// How many clips each job has (indices 0..<count), so a job's clips are listed without scanning
    /// every clip.
    private var clipCounts: [JobID: Int] = [:]
    /// Failed attempts per job and worker, for the blocklist.
    private var failureCounts: [JobID: [WorkerID: Int]] = [:]
    private var openClips = OpenClipCounts()
    /// Attempts requeued because their worker was lost, by clip: the worker may come back still
    /// rendering it, and takes it up again if nothing else has (`reclaim`). Memory only.
    private var lostAttempts: [ClipKey: LostAttempt] = [:]

    private struct LostAttempt: Equatable {
        let worker: WorkerID
        let attempt: Int
        /// Whether the loss counted towards poison (and so is taken back on reclaim).
        let counted: Bool
    }
    /// Workers whose heartbeat has confirmed they render the clip dispatched to them. Only such a
    /// worker's loss counts towards poison: one lost before it took the clip up (it left as the
    /// TASK went out, say) cannot have been taken down by the clip. Memory only.
    private var confirmedHolders: Set<WorkerID> = []

    /// Loads every unfinished job from the store. A clip that was dispatched stays with its worker,
    /// which is restored as `connecting`: if it does not come back within the liveness timeout, or comes
    /// back without the clip, the clip returns to pending without using a retry. A dispatched clip
    /// the store names no worker for is a corrupted record: it is requeued, and `restoreProblems` says so.
    public init(store: any SchedulerStore, policy: SchedulerPolicy = SchedulerPolicy(), now: Double) throws(StoreError) {
        self.store = store
        self.policy = policy
        let knownWorkers = Dictionary(try store.workers().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var changes = Changes()
        for job in try store.jobs(in: [.queued, .running]) {
            jobs[job.id] = job
            failureCounts[job.id] = try store.failedAttemptCounts(of: job.id)
            let jobClips = try store.clips(of: job.id)
            clipCounts[job.id] = jobClips.count
            for var clip in jobClips {
                if !clip.state.isTerminal { openClips.open(1, of: job.id) }
                switch clip.state {
                case .queued: pending.insert(clip.key)
                case .dispatched:
                    guard let id = clip.worker else {
                        restoreProblems.append("clip \(clip.key) was dispatched (attempt \(clip.attempts)) to no worker; "
                            + "it goes back to the queue without using a retry")
                        clip.state = clip.state.advanced(.requeue)
                        changes.clips.insert(clip.key)
                        pending.insert(clip.key)
                        break
                    }
                    let info = knownWorkers[id]?.info ?? WorkerInfo(host: "", pid: 0)
                    workers[id] = TrackedWorker(id: id, info: info,
                                               state: .connecting(Assignment(clip: clip.key, attempt: clip.attempts)),
                                               lastHeard: now)
                default: break
                }
                clips[clip.key] = clip
            }
        }
        try persist(changes, "requeue clips dispatched to no worker")
    }

    // MARK: Jobs

    /// Takes on an accepted job its store already holds (`SchedulerStore.insertJob`, which the
    /// coordinator runs off its loop): its clips become pending, and idle workers get them.
    public func adopt(_ job: TrackedJob, clips records: [TrackedClip], now: Double) throws(StoreError) -> (TrackedJob, [SchedulerEffect]) {
        jobs[job.id] = job
        failureCounts[job.id] = [:]
        clipCounts[job.id] = records.count
        openClips.open(records.count, of: job.id)
        clips.reserveCapacity(clips.count + records.count)
        for clip in records {
            clips[clip.key] = clip
            pending.insert(clip.key)
        }
        var changes = Changes()
        let effects = assign(now: now, changes: &changes)
        try persist(changes, "dispatch job \(job.id)")
        return (jobs[job.id] ?? job, effects)
    }

    /// Cancels a job: pending clips are dropped, workers holding its clips are told to abandon them.
    /// Returns nil when the job is unknown or already finished.
    public func cancel(job id: JobID, now: Double) throws(StoreError) -> [SchedulerEffect]? {
        guard var job = jobs[id], !job.state.isTerminal else { return nil }
        var changes = Changes()
        var effects: [SchedulerEffect] = []
        for key in clipKeys(of: id) {
            guard var clip = clips[key], !clip.state.isTerminal else { continue }
            if clip.state == .dispatched, let holder = clip.worker {
                effects.append(.cancel(worker: holder, clip: key, attempt: clip.attempts))
                endAttempt(of: clip, on: holder, outcome: .cancelled, error: nil, now: now, changes: &changes)
                release(worker: holder, clip: key, abandoned: true, changes: &changes)
            }
            clip.state = clip.state.advanced(.cancel)
            clip.worker = nil
            clips[key] = clip
            changes.clips.insert(key)
        }
        pending.removeAll(of: id)
        job.state = job.state.advanced(.cancel)
        job.finishedAt = now
        jobs[id] = job
        changes.jobs.insert(id)
        effects.append(.jobSettled(id, .cancelled))
        effects += assign(now: now, changes: &changes)
        try persist(changes, "cancel job \(id)")
        return effects
    }

    // MARK: Workers

    /// A worker's READY (first contact, or a reconnection of the same process). A lost or departed
    /// worker comes back idle but gets no TASK until a heartbeat says it holds nothing: it may still
    /// be rendering (a partition), and then takes its clip up again if nothing else has. A worker the
    /// coordinator still expects a clip from keeps it: READY says nothing about what it renders, so
    /// its next heartbeats settle that (`heartbeat`).
    public func ready(worker id: WorkerID, info: WorkerInfo, now: Double) throws(StoreError) -> [SchedulerEffect] {
        var changes = Changes()
        if var worker = workers[id] {
            worker.info = info
            worker.lastHeard = now
            worker.arrivals.reconnected()
            workers[id] = worker
            changes.workers.insert(id)
            switch worker.state {
            case .idle, .lost, .gone: transition(worker: id, .ready, changes: &changes)
            case .connecting, .rendering, .draining: break
            }
        } else {
            workers[id] = TrackedWorker(id: id, info: info, state: .idle(abandoning: false), lastHeard: now)
            changes.workers.insert(id)
        }
        let effects = assign(now: now, changes: &changes)
        try persist(changes, "worker \(id) ready")
        return effects
    }

    /// A worker's HEARTBEAT, with the clip and attempt it is rendering (`holding`). Returns nil for a
    /// worker the coordinator does not know (it must send READY).
    /// - A restored (`connecting`) worker resumes its clip if it still holds it; otherwise the clip is
    ///   requeued without using a retry.
    /// - A worker that holds a clip the coordinator no longer expects from it is told to abandon it.
    /// - A worker that reports not holding its dispatched clip for longer than the silence it is
    ///   allowed (`Liveness`; a TASK that never arrived) gets it taken back, without using a retry; shorter mismatches are
    ///   a TASK still in flight.
    /// `draining` says the worker is shutting down: it finishes what it holds and gets nothing new.
    public func heartbeat(worker id: WorkerID, holding: (clip: ClipKey, attempt: Int)?, progress: ClipProgress?,
                          rssBytes: Int?, draining: Bool = false, now: Double) throws(StoreError) -> [SchedulerEffect]? {
        guard var worker = workers[id] else { return nil }
        worker.lastHeard = now
        worker.arrivals.record(at: now, under: policy.liveness.rule)
        if let progress, progress.framesDone > worker.progress?.framesDone ?? -1 { worker.progressAt = now }
        worker.progress = progress
        worker.rssBytes = rssBytes ?? worker.rssBytes
        workers[id] = worker
        var changes = Changes()
        var effects: [SchedulerEffect] = []
        switch worker.state {
        case .lost, .gone:
            // Its clip has been requeued already; it must reconnect before it gets work again. A clip
            // it may still take up again is left rendering.
            effects.append(.disconnect(worker: id))
            if let holding, !isReclaimable(holding, by: id) {
                effects.append(.cancel(worker: id, clip: holding.clip, attempt: holding.attempt))
            }
        case .connecting(let expected):
            effects += reconcile(worker: id, expected: expected, holding: holding, now: now, changes: &changes)
        case .idle(let abandoning):
            if let holding {
                if !(abandoning && reclaim(holding, by: id, now: now, changes: &changes)) {
                    effects.append(.cancel(worker: id, clip: holding.clip, attempt: holding.attempt))
                }
            } else if abandoning {
                transition(worker: id, .reportFree, changes: &changes)
            }
        case .draining(nil):
            if let holding { effects.append(.cancel(worker: id, clip: holding.clip, attempt: holding.attempt)) }
        case .rendering(let expected), .draining(.some(let expected)):
            let matches = holding.map(expected.matches) ?? false
            if let holding, !matches {
                effects.append(.cancel(worker: id, clip: holding.clip, attempt: holding.attempt))
            }
            if matches {
                confirmedHolders.insert(id)
                setMissingSince(nil, worker: id, changes: &changes)
            } else if let since = expected.missingSince {
                if now - since > policy.liveness.allowedSilence(after: worker.arrivals) {
                    requeueClip(of: id, outcome: .lost, workerLost: false, now: now, changes: &changes)
                }
            } else {
                setMissingSince(now, worker: id, changes: &changes)
            }
        }
        if draining, let state = workers[id]?.state, state.isLive, state.phase != .draining {
            transition(worker: id, .drain, changes: &changes)
        }
        effects += settle(changes: &changes, now: now)
        effects += assign(now: now, changes: &changes)
        try persist(changes, "heartbeat of worker \(id)")
        return effects
    }

    /// A worker said goodbye: its clip, if any, is requeued without using a retry.
    public func leave(worker id: WorkerID, now: Double) throws(StoreError) -> [SchedulerEffect] {
        guard let worker = workers[id], worker.state != .gone else { return [] }
        var changes = Changes()
        requeueClip(of: id, outcome: .lost, workerLost: false, now: now, changes: &changes)
        transition(worker: id, .leave, changes: &changes)
        var effects = settle(changes: &changes, now: now)
        effects += assign(now: now, changes: &changes)
        try persist(changes, "worker \(id) left")
        return effects
    }

    /// How long the worker may stay silent now (`Liveness`); nil for one the coordinator does not know.
    public func allowedSilence(of id: WorkerID) -> Double? {
        workers[id].map { policy.liveness.allowedSilence(after: $0.arrivals) }
    }

    /// Any message from a worker shows it is alive.
    public func heard(from id: WorkerID, now: Double) {
        workers[id]?.lastHeard = now
    }

    /// A worker that cannot be reached (a send to it failed) is lost now, as if silent.
    public func lose(worker id: WorkerID, now: Double) throws(StoreError) -> [SchedulerEffect] {
        guard workers[id]?.state.isLive == true else { return [] }
        var changes = Changes()
        var effects = declareLost(id, .unreachable, now: now, changes: &changes)
        effects += settle(changes: &changes, now: now)
        effects += assign(now: now, changes: &changes)
        try persist(changes, "declare worker \(id) unreachable")
        return effects
    }

    /// Declares lost the workers that went silent, and those alive whose clip has stalled
    /// (`SchedulerPolicy.stallTimeout`); their clips go back to the queue without using a retry
    /// (or fail as poison).
    public func tick(now: Double) throws(StoreError) -> [SchedulerEffect] {
        var changes = Changes()
        var lost: [SchedulerEffect] = []
        for (id, worker) in workers where worker.state.isLive {
            if policy.liveness.isLost(lastHeard: worker.lastHeard, arrivals: worker.arrivals, now: now) {
                lost += declareLost(id, .silent, now: now, changes: &changes)
            } else if worker.clip != nil, policy.isStalled(progress: worker.progress, progressAt: worker.progressAt, now: now) {
                lost += declareLost(id, .stalled(seconds: now - (worker.progressAt ?? now)), now: now, changes: &changes)
            }
        }
        guard !changes.isEmpty else { return [] }
        var effects = lost + settle(changes: &changes, now: now)
        effects += assign(now: now, changes: &changes)
        try persist(changes, "declare workers lost")
        return effects
    }

    // MARK: Results

    /// A worker's RESULT. If it is the clip's current attempt on that worker, `file` writes the clip
    /// and returns its path; only then is the clip done. Anything else is dropped unwritten.
    public func result(worker id: WorkerID, clip key: ClipKey, attempt: Int, now: Double,
                       file: (TrackedJob, TrackedClip) -> FilingAttempt) throws(StoreError) -> (ReportVerdict, [SchedulerEffect]) {
        if let reason = fenceRejection(worker: id, clip: key, attempt: attempt) { return (.dropped(reason: reason), []) }
        guard var clip = clips[key], let job = jobs[key.job] else { return (.dropped(reason: "unknown clip \(key)"), []) }
        let outcome: FilingOutcome
        switch file(job, clip) {
        case .done(let filed):
            outcome = filed
        case .held(let reason):
            return (.held(reason: reason), try hold(clip, from: id, reason: reason, now: now))
        case .failed(let cause):
            let reason = "filing the clip failed: \(cause)"
            let effects = try failed(worker: id, clip: key, attempt: attempt, error: reason, retryable: true, now: now).1
            return (.filingFailed(reason: reason), effects)
        }
        var changes = Changes()
        clip.state = clip.state.advanced(.succeed)
        close(key, changes: &changes)
        clip.path = outcome.path
        clip.removed = outcome.removal
        // A done clip remembers the worker that rendered it, for `farmctl status`.
        clip.worker = id
        clip.error = nil
        clips[key] = clip
        changes.clips.insert(key)
        endAttempt(of: clip, on: id, outcome: .done, error: nil, now: now, changes: &changes)
        release(worker: id, clip: key, abandoned: false, changes: &changes)
        var effects = settle(changes: &changes, now: now)
        effects += assign(now: now, changes: &changes)
        try persist(changes, "accept clip \(key)")
        return (.accepted(path: outcome.path), effects)
    }

    /// The worker's part is done (its attempt ends as done, it is free for the next clip, nothing
    /// counts against it); the coordinator keeps the clip until it can file it (`fileHeld`).
    private func hold(_ clip: TrackedClip, from id: WorkerID, reason: String, now: Double) throws(StoreError) -> [SchedulerEffect] {
        var clip = clip
        var changes = Changes()
        clip.state = clip.state.advanced(.hold)
        clip.worker = id
        clip.error = reason
        clips[clip.key] = clip
        changes.clips.insert(clip.key)
        endAttempt(of: clip, on: id, outcome: .done, error: nil, now: now, changes: &changes)
        release(worker: id, clip: clip.key, abandoned: false, changes: &changes)
        let effects = assign(now: now, changes: &changes)
        try persist(changes, "hold clip \(clip.key)")
        return effects
    }

    /// Notes on the in-memory clips filed at these paths that their files were removed (the store is
    /// updated for every job by the caller).
    public func noteRemoved(_ removals: [(path: String, reason: String)]) throws(StoreError) {
        guard !removals.isEmpty else { return }
        let reasons = Dictionary(removals.map { ($0.path, $0.reason) }, uniquingKeysWith: { a, _ in a })
        var changes = Changes()
        for clip in clips.values {
            guard let path = clip.path, clip.removed == nil, let reason = reasons[path] else { continue }
            clips[clip.key]?.removed = reason
            changes.clips.insert(clip.key)
        }
        try persist(changes, "note removed clips")
    }

    /// File names unfinished jobs will still write in the run's video folder: clip numbering continues
    /// after them as if they were there.
    public func claimedFiles(workflow: String, task: String, run: String) -> [String] {
        jobs.values.filter { $0.spec.workflow == workflow && $0.spec.task == task && $0.spec.run == run }
            .flatMap { clipKeys(of: $0.id) }
            .compactMap { key in clips[key].flatMap { $0.state.isTerminal ? nil : $0.plan.file } }
    }

    /// Clips rendered but not yet filed, in (job, index) order.
    public var heldClips: [TrackedClip] {
        clips.values.filter { $0.state == .held }.sorted { $0.key < $1.key }
    }

    /// A held clip was filed (or found superseded): it is done, and its job may settle.
    public func fileHeld(_ key: ClipKey, _ outcome: FilingOutcome, now: Double) throws(StoreError) -> [SchedulerEffect] {
        guard var clip = clips[key], clip.state == .held else { return [] }
        var changes = Changes()
        clip.state = clip.state.advanced(.succeed)
        clip.path = outcome.path
        clip.removed = outcome.removal
        clip.error = nil
        close(key, changes: &changes)
        clips[key] = clip
        changes.clips.insert(key)
        let effects = settle(changes: &changes, now: now)
        try persist(changes, "file held clip \(key)")
        return effects
    }

    /// `farmctl retry`: a failed job's failed clips go back to the queue with their retries and the
    /// job's blocklist reset (the operator has presumably fixed something). Returns nil when the job
    /// is unknown or not failed.
    public func retry(job id: JobID, now: Double) throws(StoreError) -> [SchedulerEffect]? {
        guard var job = try store.job(id), job.state == .failed else { return nil }
        var changes = Changes()
        job.state = job.state.advanced(.retry)
        job.finishedAt = nil
        jobs[id] = job
        changes.jobs.insert(id)
        failureCounts[id] = [:]
        openClips.reset(id)
        let jobClips = try store.clips(of: id)
        clipCounts[id] = jobClips.count
        for var clip in jobClips {
            if clip.state == .failed {
                clip.state = clip.state.advanced(.retry)
                clip.failures = 0
                clip.lostWorkers = 0
                clip.failedOn = []
                clip.worker = nil
                changes.clips.insert(clip.key)
                pending.insert(clip.key)
            }
            if !clip.state.isTerminal { openClips.open(1, of: id) }
            clips[clip.key] = clip
        }
        var effects = settle(changes: &changes, now: now)
        effects += assign(now: now, changes: &changes)
        try persist(changes, "retry job \(id)")
        return effects
    }

    /// A worker's FAILED. `retryable` is the worker's judgement that another worker could succeed.
    public func failed(worker id: WorkerID, clip key: ClipKey, attempt: Int, error: String, retryable: Bool,
                       now: Double) throws(StoreError) -> (ReportVerdict, [SchedulerEffect]) {
        if let reason = fenceRejection(worker: id, clip: key, attempt: attempt) { return (.dropped(reason: reason), []) }
        guard var clip = clips[key] else { return (.dropped(reason: "unknown clip \(key)"), []) }
        var changes = Changes()
        clip.failures += 1
        clip.error = error
        clip.worker = nil
        if !clip.failedOn.contains(id) { clip.failedOn.append(id) }
        failureCounts[key.job, default: [:]][id, default: 0] += 1
        let retry = retryable && clip.failures <= (jobs[key.job]?.spec.maxRetries ?? policy.maxRetries)
        clip.state = clip.state.advanced(retry ? .failRetrying : .failFinally)
        if !retry { close(key, changes: &changes) }
        clips[key] = clip
        changes.clips.insert(key)
        if retry {
            pending.insert(key)
            changes.events.append(.clipRetried(key))
        }
        endAttempt(of: clip, on: id, outcome: .failed, error: error, now: now, changes: &changes)
        release(worker: id, clip: key, abandoned: false, changes: &changes)
        var effects = settle(changes: &changes, now: now)
        effects += assign(now: now, changes: &changes)
        try persist(changes, "record failure of clip \(key)")
        return (.accepted(path: nil), effects)
    }

    // MARK: Queries

    /// True when `worker` may get no more clips of `job`.
    public func isBlocklisted(worker: WorkerID, job: JobID) -> Bool {
        (failureCounts[job]?[worker] ?? 0) >= policy.blocklistAfter
    }

    public var pendingClips: [ClipKey] { pending.all }

    /// Clips of unfinished jobs not yet done, failed or cancelled: all of them, or those of the jobs
    /// `submitter` (a client key) submitted.
    public func openClipCount(submitter: String? = nil) -> Int {
        guard let submitter else { return openClips.total }
        return jobs.values.reduce(0) { $0 + ($1.spec.submitterKey == submitter ? openClips.count(of: $1.id) : 0) }
    }

    /// An unfinished job and its clips' tally as they are now (the store holds the same, but reading
    /// thousands of rows back costs the loop more than the request that asks); nil once it settled.
    func unfinished(_ id: JobID) -> (job: TrackedJob, tally: ClipTally)? {
        jobs[id].map { ($0, clips.tally(of: id)) }
    }

    // MARK: Internals

    /// Why a report is not for the clip's current attempt on this worker, or nil if it is.
    private func fenceRejection(worker id: WorkerID, clip key: ClipKey, attempt: Int) -> String? {
        guard let clip = clips[key] else { return "clip \(key) is unknown or its job has finished" }
        guard clip.state == .dispatched else { return "clip \(key) is \(clip.state.rawValue), not awaiting a result" }
        guard clip.attempts == attempt, clip.worker == id else {
            return "clip \(key) attempt \(attempt) from \(id) is stale: the current attempt is \(clip.attempts) on \(clip.worker ?? "none")"
        }
        return nil
    }

    /// Matches what a returning worker holds with what the coordinator dispatched to it.
    private func reconcile(worker id: WorkerID, expected: Assignment, holding: (clip: ClipKey, attempt: Int)?, now: Double,
                           changes: inout Changes) -> [SchedulerEffect] {
        if let holding, expected.matches(holding) {
            transition(worker: id, .resume, changes: &changes)
            return []
        }
        // It came back without the clip: it was restarted, or crashed, while holding it.
        requeueClip(of: id, outcome: .lost, workerLost: true, now: now, changes: &changes)
        transition(worker: id, .ready, changes: &changes)
        return holding.map { [.cancel(worker: id, clip: $0.clip, attempt: $0.attempt)] } ?? []
    }

    /// Declares a live worker lost: its clip is requeued (or failed as poison). Returns the effects:
    /// the loss, and the poisoning if any.
    private func declareLost(_ id: WorkerID, _ cause: WorkerLoss, now: Double, changes: inout Changes) -> [SchedulerEffect] {
        let key = workers[id]?.clip
        requeueClip(of: id, outcome: .lost, workerLost: true, now: now, changes: &changes)
        transition(worker: id, .silence, changes: &changes)
        workers[id]?.lossCause = cause
        guard let key, let clip = clips[key], clip.state == .failed else { return [.workerLost(id, requeued: key, cause: cause)] }
        return [.workerLost(id, requeued: nil, cause: cause), .clipPoisoned(key, reason: clip.error ?? "")]
    }

    /// Whether `holding` is the attempt `worker` was lost with, and its clip still waits in the queue.
    private func isReclaimable(_ holding: (clip: ClipKey, attempt: Int), by worker: WorkerID) -> Bool {
        guard let lost = lostAttempts[holding.clip], lost.worker == worker, lost.attempt == holding.attempt,
              let clip = clips[holding.clip] else { return false }
        return clip.state == .queued && clip.attempts == holding.attempt
    }

    /// A worker back from `lost` still renders the attempt it was lost with, and no other worker has
    /// the clip: it is dispatched to it again as the same attempt (no TASK is sent, no render is
    /// thrown away), and the loss no longer counts towards poison.
    private func reclaim(_ holding: (clip: ClipKey, attempt: Int), by id: WorkerID, now: Double,
                         changes: inout Changes) -> Bool {
        guard isReclaimable(holding, by: id), var clip = clips[holding.clip],
              let lost = lostAttempts.removeValue(forKey: holding.clip) else { return false }
        pending.remove(holding.clip)
        clip.state = clip.state.advanced(.dispatch)
        clip.worker = id
        if lost.counted { clip.lostWorkers = max(0, clip.lostWorkers - 1) }
        clips[holding.clip] = clip
        changes.clips.insert(holding.clip)
        transition(worker: id, .reportFree, changes: &changes)
        transition(worker: id, .dispatch(Assignment(clip: holding.clip, attempt: holding.attempt)), changes: &changes)
        confirmedHolders.insert(id)
        changes.attempts.append(AttemptRecord(clip: holding.clip, attempt: holding.attempt, worker: id, startedAt: now))
        return true
    }

    /// Puts the clip `worker` holds back in the queue without counting a failure; the worker, if
    /// live, is left without it. `workerLost`: the worker was lost with it (silent, crashed,
    /// unreachable), which counts towards failing the clip as poison once a heartbeat had confirmed
    /// the worker rendered it.
    private func requeueClip(of id: WorkerID, outcome: AttemptRecord.Outcome, workerLost: Bool, now: Double,
                             changes: inout Changes) {
        guard let worker = workers[id], let key = worker.clip else { return }
        let counted = workerLost && confirmedHolders.contains(id)
        release(worker: id, clip: key, abandoned: false, changes: &changes)
        guard var clip = clips[key], clip.state == .dispatched, clip.worker == id else { return }
        var event = ClipState.Event.requeue
        var error: String?
        if counted {
            clip.lostWorkers += 1
            event = policy.afterLostWorker(lostWorkers: clip.lostWorkers)
            if event == .poison { error = policy.poisonReason(lostWorkers: clip.lostWorkers) }
        }
        endAttempt(of: clip, on: id, outcome: outcome, error: error, now: now, changes: &changes)
        clip.state = clip.state.advanced(event)
        clip.worker = nil
        if let error {
            clip.error = error
            close(key, changes: &changes)
        } else {
            pending.insert(key)
            changes.events.append(.clipRequeued(key))
            if workerLost { lostAttempts[key] = LostAttempt(worker: id, attempt: clip.attempts, counted: counted) }
        }
        clips[key] = clip
        changes.clips.insert(key)
    }

    /// The worker no longer renders `key`: finished, failed, requeued, or (`abandoned`) cancelled.
    private func release(worker id: WorkerID, clip key: ClipKey, abandoned: Bool, changes: inout Changes) {
        guard let worker = workers[id], worker.clip == key else { return }
        confirmedHolders.remove(id)
        workers[id]?.progress = nil
        transition(worker: id, abandoned ? .abandonClip : .finishClip, changes: &changes)
    }

    private func transition(worker id: WorkerID, _ event: WorkerState.Event, changes: inout Changes) {
        guard let worker = workers[id] else { return }
        workers[id]?.state = worker.state.advanced(event)
        changes.workers.insert(id)
    }

    private func setMissingSince(_ since: Double?, worker id: WorkerID, changes: inout Changes) {
        guard let worker = workers[id], worker.state.assignment?.missingSince != since else { return }
        workers[id]?.state = worker.state.withAssignment { $0.missingSince = since }
        changes.workers.insert(id)
    }

    /// Counts `key` as final for its job; a miscount is reported, never hidden.
    private func close(_ key: ClipKey, changes: inout Changes) {
        do {
            try openClips.close(of: key.job)
        } catch {
            changes.problems.append("\(error) (closing clip \(key))")
        }
    }

    private func endAttempt(of clip: TrackedClip, on worker: WorkerID, outcome: AttemptRecord.Outcome, error: String?,
                            now: Double, changes: inout Changes) {
        changes.attempts.append(AttemptRecord(clip: clip.key, attempt: clip.attempts, worker: worker, startedAt: now,
                                              endedAt: now, outcome: outcome, error: error))
    }

    private func clipKeys(of job: JobID) -> [ClipKey] {
        (0..<(clipCounts[job] ?? 0)).map { ClipKey(job: job, index: $0) }
    }

    /// Live workers that may take clips of `job`: not blocklisted, serving its backend.
    private func candidates(for job: TrackedJob) -> [TrackedWorker] {
        workers.values.filter { worker in
            worker.state.isLive && serves(worker, job) && !isBlocklisted(worker: worker.id, job: job.id)
        }
    }

    /// Whether the worker can render some stream of the job.
    private func serves(_ worker: TrackedWorker, _ job: TrackedJob) -> Bool {
        job.spec.streams.contains { serves(worker, $0) }
    }

    /// Whether the worker serves the stream's backend and announced every feature it needs (a worker
    /// that predates `features` gets plain RGB clips from a world camera only).
    private func serves(_ worker: TrackedWorker, _ stream: StreamSpec) -> Bool {
        (worker.info.backends.isEmpty || worker.info.backends.contains(stream.backend.rawValue))
            && stream.requiredFeatures.isSubset(of: worker.info.features ?? [])
    }

    /// Hands pending clips to idle workers, one clip per worker: each worker takes the first pending
    /// clip it may render, looking at the front of each job's queue (only a clip that already failed
    /// on this worker makes it look further).
    private func assign(now: Double, changes: inout Changes) -> [SchedulerEffect] {
        guard !pending.isEmpty else { return [] }
        var effects: [SchedulerEffect] = []
        let idle = workers.values.filter(\.state.takesClips).map(\.id).sorted()
        var candidatesByJob: [JobID: Set<WorkerID>] = [:]
        for workerID in idle {
            guard !pending.isEmpty else { break }
            guard let worker = workers[workerID] else { continue }
            var chosen: ClipKey?
            search: for jobID in pending.jobs {
                guard let job = jobs[jobID], serves(worker, job), !isBlocklisted(worker: workerID, job: jobID) else { continue }
                for index in pending.indices(of: jobID) {
                    let key = ClipKey(job: jobID, index: index)
                    guard let clip = clips[key], serves(worker, job.spec.stream(clip.plan.stream)) else { continue }
                    if clip.failedOn.contains(workerID) {
                        let others = candidatesByJob[jobID] ?? Set(candidates(for: job).map(\.id))
                        candidatesByJob[jobID] = others
                        // Only workers this clip already failed on remain: let one of them retry.
                        guard others.isSubset(of: Set(clip.failedOn)) else { continue }
                    }
                    chosen = key
                    break search
                }
            }
            guard let key = chosen, var clip = clips[key], var job = jobs[key.job] else { continue }
            pending.remove(key)
            lostAttempts[key] = nil
            clip.state = clip.state.advanced(.dispatch)
            clip.attempts += 1
            clip.worker = workerID
            clips[key] = clip
            changes.clips.insert(key)
            if job.state == .queued {
                job.state = job.state.advanced(.dispatched)
                jobs[job.id] = job
                changes.jobs.insert(job.id)
            }
            transition(worker: workerID, .dispatch(Assignment(clip: key, attempt: clip.attempts)), changes: &changes)
            workers[workerID]?.progress = ClipProgress(framesDone: 0, framesTotal: clip.plan.frames, fps: 0)
            workers[workerID]?.progressAt = now
            changes.attempts.append(AttemptRecord(clip: key, attempt: clip.attempts, worker: workerID, startedAt: now))
            effects.append(.dispatch(Dispatch(worker: workerID, job: job, clip: clip)))
        }
        return effects
    }

    /// Fails pending clips no live worker may take, then settles jobs whose clips are all final.
    private func settle(changes: inout Changes, now: Double) -> [SchedulerEffect] {
        var effects: [SchedulerEffect] = []
        let live = workers.values.filter { $0.state.isLive }
        for id in pending.jobs {
            guard let job = jobs[id] else { continue }
            let servers = live.filter { serves($0, job) }
            guard !servers.isEmpty, servers.allSatisfy({ isBlocklisted(worker: $0.id, job: id) }) else { continue }
            for key in pending.removeAll(of: id) {
                guard var clip = clips[key] else { continue }
                let last = clip.error.map { " Last error: \($0)" } ?? ""
                clip.error = "no worker may take this clip: every live worker failed job \(id) "
                    + "\(policy.blocklistAfter) times and is blocklisted for it.\(last)"
                clip.state = clip.state.advanced(.failFinally)
                close(key, changes: &changes)
                clips[key] = clip
                changes.clips.insert(key)
            }
        }
        effects += changes.problems.map(SchedulerEffect.inconsistency) + changes.events
        changes.problems = []
        changes.events = []
        let touched = Set(changes.clips.map(\.job))
        for id in touched {
            guard var job = jobs[id], !job.state.isTerminal, openClips.isSettled(id) else { continue }
            let jobClips = clipKeys(of: id).compactMap { clips[$0] }
            let event: JobState.Event = jobClips.allSatisfy { $0.state == .done } ? .allClipsDone : .settledWithFailures
            job.state = job.state.advanced(event)
            job.finishedAt = now
            jobs[id] = job
            changes.jobs.insert(id)
            effects.append(.jobSettled(id, job.state))
        }
        return effects
    }

    /// Drops finished jobs from memory; the store keeps them for status queries.
    private func forgetSettledJobs() {
        for (id, job) in jobs where job.state.isTerminal {
            jobs[id] = nil
            failureCounts[id] = nil
            openClips.forget(id)
            for key in clipKeys(of: id) {
                clips[key] = nil
                lostAttempts[key] = nil
            }
            clipCounts[id] = nil
        }
    }

    private struct Changes {
        var jobs: Set<JobID> = []
        var clips: Set<ClipKey> = []
        var workers: Set<WorkerID> = []
        var attempts: [AttemptRecord] = []
        /// Miscounts found while handling the event, reported as `inconsistency` effects.
        var problems: [String] = []
        /// Requeues and retries, reported as effects for the metrics.
        var events: [SchedulerEffect] = []

        var isEmpty: Bool { jobs.isEmpty && clips.isEmpty && workers.isEmpty && attempts.isEmpty }
    }

    private func persist(_ changes: Changes, _ operation: String) throws(StoreError) {
        guard !changes.isEmpty else { return }
        let written = SchedulerChanges(jobs: changes.jobs.compactMap { jobs[$0] }, clips: changes.clips.compactMap { clips[$0] },
                                       attempts: changes.attempts, workers: changes.workers.compactMap { workers[$0] })
        try store.commit(written, operation)
        if written.jobs.contains(where: { $0.state.isTerminal }) { forgetSettledJobs() }
    }
}

extension JobState {
    /// The scheduler only asks for transitions its own checks allow; a refusal is a coordinator bug.
    func advanced(_ event: Event) -> JobState {
        do { return try applying(event) } catch { preconditionFailure("\(error)") }
    }
}

extension ClipState {
    func advanced(_ event: Event) -> ClipState {
        do { return try applying(event) } catch { preconditionFailure("\(error)") }
    }
}

extension WorkerState {
    func advanced(_ event: Event) -> WorkerState {
        do { return try applying(event) } catch { preconditionFailure("\(error)") }
    }
}
