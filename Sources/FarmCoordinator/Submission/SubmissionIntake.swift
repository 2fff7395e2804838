import FarmCore
import FarmWire
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A SUBMIT's costly steps, done off the coordinator's loop, which must answer everyone else within
/// a heartbeat meanwhile:
/// 1. taking its rollout in: writing it to the spool, reading its header (a camera track has a view
///    per step) and checking every body pose cost time in proportion to the rollout
///    (`RolloutSpool.take`); then planning the job over it (`SubmissionPlanner`: up to
///    `maxClipsPerJob` clips) with the run's file names as the loop saw them when the SUBMIT came;
/// 2. once the loop has checked and accepted the plan, recording the job: its job row and one row
///    per clip, in one transaction, so after a crash a job is wholly in the store or absent
///    (`CoordinatorStore.insertJob`). The loop adopts the recorded job into its scheduler.
/// One thread does both kinds in the order given, so jobs get their ids in the order the loop accepted
/// them; each result waits for the loop, which is woken through `wake` and collects them with
/// `collect()`. The thread runs from `start()` and is joined by `stop()`, at a lower CPU priority
/// than the loop (`niceness`): on a busy machine its bulk work waits, not the loop's answers.
final class SubmissionIntake: Sendable {
    /// An accepted job's rows to record.
    struct JobRows: Sendable {
        let spec: JobSpec
        let clips: [ClipPlan]
        let submittedAt: Double
        let rolloutPath: String
    }

    /// A SUBMIT to take in and plan.
    struct Submission: Sendable {
        let rollout: RolloutSpool.Intake
        let request: SubmitJob
        /// The run's file names the plan sees (`SubmissionPlanner.readsRunFileNames`).
        let names: RunFileNames
    }

    /// A rollout taken in, and the plan over it.
    struct Taken: Sendable {
        let file: RolloutFile
        let plan: Result<PlannedSubmission, SubmissionError>
        let names: RunFileNames
    }

    enum Outcome: Sendable {
        case taken(Result<Taken, SubmissionError>)
        case recorded(Result<RecordedJob, StoreError>)
    }

    struct RecordedJob: Sendable {
        let job: TrackedJob
        let clips: [TrackedClip]
    }

    struct Done: Sendable {
        let ticket: Int
        let outcome: Outcome
    }

    private enum Order: Sendable {
        case take(Submission)
        case record(JobRows)

        /// Bytes held in memory until written: an inline rollout's.
        var inlineBytes: Int {
            if case .take(let submission) = self { submission.rollout.inlineBytes } else { 0 }
        }
    }

    private struct Queue {
        var orders: [(ticket: Int, order: Order)] = []
        var done: [Done] = []
        var stopping = false
        /// Inline rollout bytes queued or in hand, held in memory until written.
        var inlineBytes = 0
    }

    /// Inline rollout bytes that may wait in memory for the intake at once (2 GiB): a burst of large
    /// inline SUBMITs is refused (`queue_full`) past this instead of growing the coordinator's memory.
    let maxInlineBytes: Int
    /// SUBMITs that may wait for the intake at once.
    let maxOrders: Int

    private let store: CoordinatorStore
    private let planner: SubmissionPlanner
    private let queue = Mutex(Queue())
    /// One signal per order, and one to stop.
    private let work = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let wake: WakePipe
    private let running = Mutex(false)
    /// The thread's nice value above the process's (Linux sets it per thread).
    static let niceness: Int32 = 10

    /// `wake`: signalled whenever a result is ready. `store`: where accepted jobs are recorded.
    init(wake: WakePipe, store: CoordinatorStore, planner: SubmissionPlanner, maxInlineBytes: Int = 2 << 30,
         maxOrders: Int = 1024) {
        self.wake = wake
        self.store = store
        self.planner = planner
        self.maxInlineBytes = maxInlineBytes
        self.maxOrders = maxOrders
    }

    /// Starts the thread (the loop does, when it starts serving); `stop()` joins it.
    func start() {
        guard running.withLock({ was in defer { was = true }; return !was }) else { return }
        let thread = Thread { [self] in
            defer { finished.signal() }
            #if os(Linux)
            // Linux keeps a nice value per thread, and `who` 0 is the calling thread. Best effort:
            // without it the thread merely competes with the loop as an equal.
            let process = __priority_which_t(PRIO_PROCESS.rawValue)
            _ = setpriority(process, 0, getpriority(process, 0) + Self.niceness)
            #endif
            while true {
                work.wait()
                guard let next = queue.withLock({ queue -> (ticket: Int, order: Order)? in
                    queue.stopping || queue.orders.isEmpty ? nil : queue.orders.removeFirst()
                }) else {
                    if queue.withLock({ $0.stopping }) { return }
                    continue
                }
                let outcome = carryOut(next.order)
                queue.withLock {
                    $0.done.append(Done(ticket: next.ticket, outcome: outcome))
                    $0.inlineBytes -= next.order.inlineBytes
                }
                wake.signal()
            }
        }
        thread.name = "farm.intake"
        thread.start()
    }

    private func carryOut(_ order: Order) -> Outcome {
        switch order {
        case .take(let submission):
            return .taken(RolloutSpool.take(submission.rollout).map { file in
                let plan = Result { () throws(SubmissionError) in
                    try planner.plan(submission.request, rollout: file.header, claimedFiles: submission.names.claimed,
                                     filedFiles: submission.names.filed)
                }
                return Taken(file: file, plan: plan, names: submission.names)
            })
        case .record(let rows):
            return .recorded(Result { () throws(StoreError) -> RecordedJob in
                let (job, clips) = try store.insertJob(spec: rows.spec, clips: rows.clips, submittedAt: rows.submittedAt,
                                                       rolloutPath: { _ in rows.rolloutPath })
                return RecordedJob(job: job, clips: clips)
            })
        }
    }

    /// Why a SUBMIT with `inlineBytes` of rollout cannot wait for the intake now (nil when it can).
    func refusal(inlineBytes: Int) -> String? {
        queue.withLock { queue in
            if queue.orders.count >= maxOrders {
                return "the coordinator is taking in \(queue.orders.count) rollouts, the most it queues; submit again shortly"
            }
            guard inlineBytes > 0, queue.inlineBytes + inlineBytes > maxInlineBytes else { return nil }
            return "the coordinator holds \(queue.inlineBytes) bytes of inline rollouts waiting to be taken in and this one "
                + "is \(inlineBytes); submit again shortly, or upload it (UPLOAD_BEGIN/UPLOAD_CHUNK) instead"
        }
    }

    /// Queues a SUBMIT; its rollout and plan come back from `collect()` under `ticket`.
    func take(_ submission: Submission, ticket: Int) {
        enqueue(.take(submission), ticket: ticket)
    }

    /// Queues an accepted job's rows (never refused: the job is accepted); the recorded job comes
    /// back from `collect()` under `ticket`.
    func record(_ rows: JobRows, ticket: Int) {
        enqueue(.record(rows), ticket: ticket)
    }

    private func enqueue(_ order: Order, ticket: Int) {
        queue.withLock {
            $0.orders.append((ticket, order))
            $0.inlineBytes += order.inlineBytes
        }
        work.signal()
    }

    /// The results ready now, in the order they were queued.
    func collect() -> [Done] {
        queue.withLock { queue in
            defer { queue.done.removeAll() }
            return queue.done
        }
    }

    /// Stops the thread after the order in hand and waits for it; orders not yet started are
    /// dropped (their rollout files are orphans the next start removes; a job not yet recorded was
    /// never in the store). Idempotent.
    func stop() {
        guard running.withLock({ was in defer { was = false }; return was }) else { return }
        queue.withLock { $0.stopping = true }
        work.signal()
        finished.wait()
    }
}
