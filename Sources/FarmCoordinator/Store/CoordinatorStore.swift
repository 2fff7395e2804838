import FarmCore
import Foundation
import GRDB

/// Jobs, clips, attempts and workers in SQLite. On disk it is `<state-dir>/farm.sqlite` in WAL mode,
/// so a coordinator killed at any point reopens to the last committed event.
public final class CoordinatorStore: Sendable {
    public let path: String
    private let writer: any DatabaseWriter

    /// Opens (creating if needed) the state database in `stateDirectory`.
    public static func open(stateDirectory: String) throws(StoreError) -> CoordinatorStore {
        let path = (stateDirectory as NSString).appendingPathComponent("farm.sqlite")
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
            var configuration = Configuration()
            // Status readers and the writer share the file; wait for each other rather than fail.
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                // WAL and NORMAL sync: a crash loses nothing committed before the last checkpointed write.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            return try CoordinatorStore(path: path, writer: DatabasePool(path: path, configuration: configuration))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, operation: "open", reason: "\(error)")
        }
    }

    /// A private database in memory, for tests.
    public static func inMemory() throws(StoreError) -> CoordinatorStore {
        do {
            return try CoordinatorStore(path: ":memory:", writer: DatabaseQueue())
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: ":memory:", operation: "open", reason: "\(error)")
        }
    }

    private init(path: String, writer: any DatabaseWriter) throws {
        self.path = path
        self.writer = writer
        do {
            try StoreSchema.migrator.migrate(writer)
        } catch {
            throw StoreError(path: path, operation: "migrate", reason: "\(error)")
        }
    }

    /// The journal mode SQLite reports (`wal` for a store on disk).
    public func journalMode() throws(StoreError) -> String {
        try read("read journal mode") { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    // MARK: Writing

    /// Runs `body` in one transaction: every change of one coordinator event commits together.
    public func batch(_ operation: String, _ body: (Batch) throws -> Void) throws(StoreError) {
        do {
            try writer.write { db in try body(Batch(db: db)) }
        } catch {
            throw StoreError(path: path, operation: operation, reason: "\(error)")
        }
    }

    /// Inserts a job and its planned clips; `rolloutPath` maps the new id to its spool file.
    public func insertJob(spec: JobSpec, clips: [ClipPlan], submittedAt: Double,
                          rolloutPath: @escaping (JobID) -> String) throws(StoreError) -> (TrackedJob, [TrackedClip]) {
        var result: (TrackedJob, [TrackedClip])?
        try batch("insert job") { batch in
            try batch.db.execute(sql: "INSERT INTO jobs (spec, state, submitted_at, rollout_path) VALUES (?, ?, ?, '')",
                                 arguments: [try Self.json(spec), JobState.queued.rawValue, submittedAt])
            let id = batch.db.lastInsertedRowID
            let job = TrackedJob(id: id, spec: spec, submittedAt: submittedAt, rolloutPath: rolloutPath(id))
            try batch.update(job)
            let records = clips.enumerated().map { TrackedClip(key: ClipKey(job: id, index: $0.offset), plan: $0.element) }
            for clip in records { try batch.insert(clip) }
            result = (job, records)
        }
        return result!
    }

    /// The writes one event makes, inside `batch`.
    public struct Batch {
        let db: Database

        public func update(_ job: TrackedJob) throws {
            try db.execute(sql: "UPDATE jobs SET spec = ?, state = ?, finished_at = ?, rollout_path = ? WHERE id = ?",
                           arguments: [try CoordinatorStore.json(job.spec), job.state.rawValue, job.finishedAt,
                                       job.rolloutPath, job.id])
        }

        func insert(_ clip: TrackedClip) throws {
            // Cached: a job inserts up to 100,000 of these in one transaction.
            try db.cachedStatement(sql: """
                INSERT INTO clips (job, idx, file, steps, state, attempts, failures, worker, failed_on, error, path,
                                   stream, removed, lost_workers)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: try CoordinatorStore.clipArguments(clip))
        }

        public func update(_ clip: TrackedClip) throws {
            try db.execute(sql: """
                UPDATE clips SET state = ?, attempts = ?, failures = ?, worker = ?, failed_on = ?, error = ?, path = ?,
                    removed = ?, lost_workers = ?
                WHERE job = ? AND idx = ?
                """, arguments: [clip.state.rawValue, clip.attempts, clip.failures, clip.worker,
                                 try CoordinatorStore.json(clip.failedOn), clip.error, clip.path, clip.removed,
                                 clip.lostWorkers, clip.key.job, clip.key.index])
        }

        /// Notes on every clip filed at `path` (of any job, finished or not) that its file was removed.
        public func markRemoved(path: String, reason: String) throws {
            try db.execute(sql: "UPDATE clips SET removed = ? WHERE path = ? AND removed IS NULL",
                           arguments: [reason, path])
        }

        public func save(_ attempt: AttemptRecord) throws {
            try db.execute(sql: """
                INSERT INTO attempts (job, idx, attempt, worker, started_at, ended_at, outcome, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (job, idx, attempt) DO UPDATE SET
                    ended_at = excluded.ended_at, outcome = excluded.outcome, error = excluded.error
                """, arguments: [attempt.clip.job, attempt.clip.index, attempt.attempt, attempt.worker,
                                 attempt.startedAt, attempt.endedAt, attempt.outcome.rawValue, attempt.error])
        }

        public func save(_ worker: TrackedWorker) throws {
            try db.execute(sql: """
                INSERT INTO workers (id, info, state, job, idx, attempt, last_heard) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET info = excluded.info, state = excluded.state, job = excluded.job,
                    idx = excluded.idx, attempt = excluded.attempt, last_heard = excluded.last_heard
                """, arguments: [worker.id, try CoordinatorStore.json(worker.info), worker.state.phase.rawValue,
                                 worker.clip?.job, worker.clip?.index, worker.attempt, worker.lastHeard])
        }
    }

    // MARK: Reading

    public func job(_ id: JobID) throws(StoreError) -> TrackedJob? {
        try read("read job \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(Self.job(from:))
        }
    }

    /// The newest `limit` jobs older than `before` (all when nil), in submission order, and whether
    /// older ones exist.
    public func jobs(before: JobID?, limit: Int) throws(StoreError) -> (jobs: [TrackedJob], more: Bool) {
        try read("read a page of jobs") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE id < ? ORDER BY id DESC LIMIT ?",
                                        arguments: [before ?? JobID.max, limit + 1])
            return (try rows.prefix(limit).reversed().map(Self.job(from:)), rows.count > limit)
        }
    }

    /// Jobs in submission order; only those in `states` when given.
    public func jobs(in states: [JobState]? = nil) throws(StoreError) -> [TrackedJob] {
        try read("read jobs") { db in
            let rows: [Row]
            if let states {
                let marks = states.map { _ in "?" }.joined(separator: ", ")
                rows = try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE state IN (\(marks)) ORDER BY id",
                                        arguments: StatementArguments(states.map(\.rawValue)))
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY id")
            }
            return try rows.map(Self.job(from:))
        }
    }

    public func clips(of job: JobID) throws(StoreError) -> [TrackedClip] {
        try read("read clips of job \(job)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM clips WHERE job = ? ORDER BY idx", arguments: [job])
                .map(Self.clip(from:))
        }
    }

    /// The job a SUBMIT with `idempotencyKey` from `submitter` (nil on an open farm) already made.
    public func job(idempotencyKey: String, submitter: String?) throws(StoreError) -> JobID? {
        try read("find the job of idempotency key \(idempotencyKey)") { db in
            try JobID.fetchOne(db, sql: """
                SELECT id FROM jobs WHERE json_extract(spec, '$.idempotencyKey') = ?
                    AND coalesce(json_extract(spec, '$.submitterKey'), '') = ? ORDER BY id LIMIT 1
                """, arguments: [idempotencyKey, submitter ?? ""])
        }
    }

    /// The client key a run folder belongs to on an authenticated farm, or nil when none claimed it.
    public func runOwner(workflow: String, task: String, run: String) throws(StoreError) -> String? {
        try read("read the owner of run \(workflow)/\(task)/\(run)") { db in
            try String.fetchOne(db, sql: "SELECT owner FROM run_owners WHERE workflow = ? AND task = ? AND run = ?",
                                arguments: [workflow, task, run])
        }
    }

    /// Records `owner` as the run folder's owner unless it already has one.
    public func claimRun(workflow: String, task: String, run: String, owner: String) throws(StoreError) {
        try batch("claim run \(workflow)/\(task)/\(run)") { batch in
            try batch.db.execute(sql: "INSERT OR IGNORE INTO run_owners (workflow, task, run, owner) VALUES (?, ?, ?, ?)",
                                 arguments: [workflow, task, run, owner])
        }
    }

    /// Names of the clips the farm filed in `directory` (done, not removed), of any job: the only
    /// files `keep_last_n_clips` may count or delete.
    public func filedClipNames(in directory: String) throws(StoreError) -> [String] {
        let folder = directory.hasSuffix("/") ? directory : directory + "/"
        let pattern = folder.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        return try read("list clips filed in \(directory)") { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT path FROM clips WHERE state = ? AND removed IS NULL AND path LIKE ? ESCAPE '\\'
                """, arguments: [ClipState.done.rawValue, pattern])
                // LIKE ignores ASCII case; the prefix test does not.
                .filter { $0.hasPrefix(folder) && $0.count > folder.count && !$0.dropFirst(folder.count).contains("/") }
                .map { String($0.dropFirst(folder.count)) }
        }
    }

    public func attempts(of clip: ClipKey) throws(StoreError) -> [AttemptRecord] {
        try read("read attempts of clip \(clip)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attempts WHERE job = ? AND idx = ? ORDER BY attempt",
                             arguments: [clip.job, clip.index]).map(Self.attempt(from:))
        }
    }

    /// Failed attempts of a job per worker, which rebuild the blocklist after a restart.
    public func failedAttemptCounts(of job: JobID) throws(StoreError) -> [WorkerID: Int] {
        try read("count failed attempts of job \(job)") { db in
            var counts: [WorkerID: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT worker, COUNT(*) AS n FROM attempts WHERE job = ? AND outcome = ? GROUP BY worker
                """, arguments: [job, AttemptRecord.Outcome.failed.rawValue]) {
                counts[row["worker"]] = row["n"]
            }
            return counts
        }
    }

    public func workers() throws(StoreError) -> [TrackedWorker] {
        try read("read workers") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM workers ORDER BY id").map(Self.worker(from:))
        }
    }

    // MARK: Monitoring reads (the HTTP side, on its own reader connection)

    /// Jobs and clips per state, counted in SQL.
    public func stateCounts() throws(StoreError) -> StateCounts {
        try read("count jobs and clips by state") { db in
            var counts = StateCounts()
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state") {
                if let state = JobState(rawValue: row["state"]) { counts.jobs[state] = row["n"] }
            }
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM clips GROUP BY state") {
                if let state = ClipState(rawValue: row["state"]) { counts.clips[state] = row["n"] }
            }
            return counts
        }
    }

    /// The newest `limit` jobs with their clip and frame counts per clip state, newest first.
    public func jobSummaries(limit: Int) throws(StoreError) -> [JobSummary] {
        try read("summarise jobs") { db in
            let jobs = try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map(Self.job(from:))
            guard let oldest = jobs.last?.id else { return [] }
            var summaries = Dictionary(uniqueKeysWithValues: jobs.map { ($0.id, JobSummary(job: $0)) })
            for row in try Row.fetchAll(db, sql: """
                SELECT job, state, COUNT(*) AS n, SUM(json_array_length(steps)) AS frames
                FROM clips WHERE job >= ? GROUP BY job, state
                """, arguments: [oldest]) {
                guard let state = ClipState(rawValue: row["state"]), summaries[row["job"]] != nil else { continue }
                summaries[row["job"]]?.clips[state] = row["n"]
                summaries[row["job"]]?.frames[state] = row["frames"]
            }
            return jobs.compactMap { summaries[$0.id] }
        }
    }

    /// Clips `offset..<offset+limit` of a job, by index.
    public func clips(of job: JobID, offset: Int, limit: Int) throws(StoreError) -> [TrackedClip] {
        try read("read clips of job \(job)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM clips WHERE job = ? ORDER BY idx LIMIT ? OFFSET ?",
                             arguments: [job, limit, offset]).map(Self.clip(from:))
        }
    }

    /// A job's clips counted inside SQLite, without reading them out: a settled 20,000-clip job's
    /// record took 133 ms to read back clip by clip, and a STATUS page lists up to 100 jobs.
    func tally(of job: JobID) throws(StoreError) -> ClipTally {
        try read("count clips of job \(job)") { db in
            var byState: [ClipState: Int] = [:]
            var frames = 0
            var framesDone = 0
            for row in try Row.fetchAll(db, sql: """
                SELECT state, COUNT(*) AS clips, SUM(json_array_length(steps)) AS frames FROM clips WHERE job = ? GROUP BY state
                """, arguments: [job]) {
                let state = try Self.enumValue(ClipState.self, row["state"], column: "clips.state")
                byState[state] = row["clips"]
                frames += row["frames"] as Int
                if state == .done { framesDone += row["frames"] as Int }
            }
            let failed = try Int.fetchAll(db, sql: "SELECT idx FROM clips WHERE job = ? AND state = ?",
                                          arguments: [job, ClipState.failed.rawValue])
            return ClipTally(byState: byState, frames: frames, framesDone: framesDone, failed: Set(failed))
        }
    }

    /// The rollout paths of failed jobs, oldest job first (no spec decoded: a farm may have many).
    func failedRolloutPaths() throws(StoreError) -> [String] {
        try read("read failed jobs' rollouts") { db in
            try String.fetchAll(db, sql: "SELECT rollout_path FROM jobs WHERE state = ? ORDER BY id",
                                arguments: [JobState.failed.rawValue])
        }
    }

    public func clipCount(of job: JobID) throws(StoreError) -> Int {
        try read("count clips of job \(job)") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM clips WHERE job = ?", arguments: [job]) ?? 0
        }
    }

    public func clip(_ key: ClipKey) throws(StoreError) -> TrackedClip? {
        try read("read clip \(key)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM clips WHERE job = ? AND idx = ?", arguments: [key.job, key.index])
                .map(Self.clip(from:))
        }
    }

    /// Bytes the database takes on disk: the main file, its WAL and shared-memory index.
    public func sizeOnDisk() -> Int {
        [path, path + "-wal", path + "-shm"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }

    private func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.read(body)
        } catch {
            throw StoreError(path: path, operation: operation, reason: "\(error)")
        }
    }

    // MARK: Row mapping

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String, column: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError(path: "", operation: "decode column \(column)", reason: "\(error)")
        }
    }

    private static func enumValue<T: RawRepresentable>(_ type: T.Type, _ text: String, column: String) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            throw StoreError(path: "", operation: "decode column \(column)", reason: "unknown value '\(text)'")
        }
        return value
    }

    static func clipArguments(_ clip: TrackedClip) throws -> StatementArguments {
        [clip.key.job, clip.key.index, clip.plan.file, IntListColumn.text(clip.plan.steps), clip.state.rawValue, clip.attempts,
         clip.failures, clip.worker, clip.failedOn.isEmpty ? "[]" : try json(clip.failedOn), clip.error, clip.path, clip.plan.stream, clip.removed,
         clip.lostWorkers]
    }

    private static func job(from row: Row) throws -> TrackedJob {
        TrackedJob(id: row["id"], spec: try decode(JobSpec.self, row["spec"], column: "jobs.spec"),
                  state: try enumValue(JobState.self, row["state"], column: "jobs.state"),
                  submittedAt: row["submitted_at"], finishedAt: row["finished_at"], rolloutPath: row["rollout_path"])
    }

    private static func clip(from row: Row) throws -> TrackedClip {
        TrackedClip(key: ClipKey(job: row["job"], index: row["idx"]),
                   plan: ClipPlan(file: row["file"], steps: try steps(row["steps"]), stream: row["stream"]),
                   state: try enumValue(ClipState.self, row["state"], column: "clips.state"),
                   attempts: row["attempts"], failures: row["failures"], worker: row["worker"],
                   failedOn: try workerList(row["failed_on"]),
                   error: row["error"], path: row["path"], removed: row["removed"], lostWorkers: row["lost_workers"])
    }

    private static func steps(_ text: String) throws -> [Int] {
        try IntListColumn.values(text) ?? decode([Int].self, text, column: "clips.steps")
    }

    private static func workerList(_ text: String) throws -> [WorkerID] {
        text == "[]" ? [] : try decode([WorkerID].self, text, column: "clips.failed_on")
    }

    private static func attempt(from row: Row) throws -> AttemptRecord {
        AttemptRecord(clip: ClipKey(job: row["job"], index: row["idx"]), attempt: row["attempt"], worker: row["worker"],
                      startedAt: row["started_at"], endedAt: row["ended_at"],
                      outcome: try enumValue(AttemptRecord.Outcome.self, row["outcome"], column: "attempts.outcome"),
                      error: row["error"])
    }

    private static func worker(from row: Row) throws -> TrackedWorker {
        let job: JobID? = row["job"]
        let index: Int? = row["idx"]
        let attempt: Int? = row["attempt"]
        let assignment = job.flatMap { job in
            index.flatMap { index in attempt.map { Assignment(clip: ClipKey(job: job, index: index), attempt: $0) } }
        }
        let phase = try enumValue(WorkerPhase.self, row["state"], column: "workers.state")
        let state: WorkerState
        switch (phase, assignment) {
        case (.connecting, let assignment?): state = .connecting(assignment)
        case (.rendering, let assignment?): state = .rendering(assignment)
        case (.draining, let assignment): state = .draining(assignment)
        case (.idle, nil): state = .idle(abandoning: false)
        case (.lost, nil): state = .lost
        case (.gone, nil): state = .gone
        default:
            throw StoreError(path: "", operation: "read worker \(row["id"] as String? ?? "?")",
                             reason: "state \(phase.rawValue) \(assignment == nil ? "without" : "with") a clip")
        }
        return TrackedWorker(id: row["id"], info: try decode(WorkerInfo.self, row["info"], column: "workers.info"),
                             state: state, lastHeard: row["last_heard"])
    }
}
