import FarmCore
import FarmWire
import Foundation
import Logging

/// The client side: requests on the client socket, each answered exactly once, OK or ERROR. Owns
/// planning submissions and run ownership; asks the scheduler, the spool and filing for the rest,
/// and hands the scheduler's effects to the loop before it answers. A SUBMIT passes through the
/// intake twice: its rollout is taken in and its job planned off the loop, the loop checks the plan,
/// then the job's rows are recorded off the loop, and the loop adopts the job and answers.
final class ClientDesk {
    let config: CoordinatorConfig
    let logger: Logger
    let scheduler: Scheduler
    let store: CoordinatorStore
    let spool: RolloutSpool
    let filing: FilingDesk
    /// Read for WORKERS: what each worker said in READY.
    let workerDesk: WorkerDesk
    private let planner: SubmissionPlanner
    let ownership: RunOwnership
    /// Takes SUBMITs' rollouts in and records accepted jobs, off the loop.
    private let intake: SubmissionIntake
    private var nextTicket = 0
    private var submitsInIntake: [Int: SubmitInIntake] = [:]
    /// Requests from a client whose SUBMIT is being taken in: answered after it, in order, so a
    /// client that sends several requests gets its replies in the order it sent them.
    private var held: [Data: [(frames: [Data], clientKey: String?)]] = [:]
    /// At most this many requests wait behind one client's SUBMIT; more are refused at once.
    static let maxHeldRequests = 256
    /// Replies sent and not yet read, per connection, and the runs of requests refused for them.
    private var backlog = ReplyBacklog()
    private var backlogRefusals = RefusalEpisodes(capacity: 1024)

    /// `wake`: the loop's, signalled when a rollout has been taken in (`finishSubmits`).
    init(config: CoordinatorConfig, logger: Logger, scheduler: Scheduler, store: CoordinatorStore, spool: RolloutSpool,
         filing: FilingDesk, workerDesk: WorkerDesk, wake: WakePipe) {
        self.config = config
        self.logger = logger
        self.scheduler = scheduler
        self.store = store
        self.spool = spool
        self.filing = filing
        self.workerDesk = workerDesk
        planner = SubmissionPlanner(configuration: config.farm, filer: filing.filer, limits: config.submissionLimits)
        ownership = RunOwnership(store: store, security: config.security)
        intake = SubmissionIntake(wake: wake, store: store, planner: planner)
    }

    /// The counters a reply to the connection `identity` counts in until it is written out.
    func replyCounters(for identity: Data) -> [OutboundBytes] { backlog.counters(for: identity) }

    /// Starts taking rollouts in (the loop is starting to serve).
    func start() { intake.start() }

    /// Stops the intake and joins its thread (the loop is stopping): SUBMITs still in the intake get
    /// no reply.
    func stop() { intake.stop() }

    /// The reply to one message from the client socket, nil when there is none now: frames that
    /// are not a routed message (no one to answer), a SUBMIT whose rollout is being taken in, or a
    /// request waiting behind one (`finishSubmits` answers both). `clientKey`: the sender's CURVE
    /// public key (Z85) when the socket is authenticated.
    func reply(to frames: [Data], clientKey: String?, performer: some EffectPerforming) throws -> [Data]? {
        let routed: RoutedMessage
        do {
            routed = try RoutedMessage(routerFrames: frames)
        } catch {
            logger.warning("client socket: \(error)")
            return nil
        }
        let connection = RoutingIdentity.printable(routed.identity)
        if let refusal = backlog.refusal(for: routed.identity) {
            if backlogRefusals.refused(connection) { logger.warning("client \(connection): \(refusal); refusing its requests") }
            return routed.reply(ClientReply.error(ErrorReply(code: .queueFull, message: refusal)).frames)
        }
        if let refused = backlogRefusals.accepted(connection) {
            logger.info("client \(connection) read its replies: serving it again (\(refused) requests refused meanwhile)")
        }
        if let waiting = held[routed.identity] {
            guard waiting.count < Self.maxHeldRequests else {
                return routed.reply(ClientReply.error(ErrorReply(
                    code: .badRequest, message: "\(waiting.count) requests already wait behind this client's SUBMIT, "
                        + "the most that may; wait for its reply")).frames)
            }
            held[routed.identity, default: []].append((frames, clientKey))
            return nil
        }
        let reply: ClientReply
        do {
            let request = try ClientRequest.parse(routed.payload, limits: config.limits)
            guard let answer = try answer(request, clientKey: clientKey, from: routed, performer: performer) else {
                return nil
            }
            reply = answer
        } catch let error as ProtocolError {
            logger.warning("client \(RoutingIdentity.printable(routed.identity)): refused message: \(error)")
            reply = .error(ErrorReply(error))
        } catch let error as StoreError {
            throw error
        } catch {
            logger.error("client request failed: \(error)")
            reply = .error(ErrorReply(code: .internal, message: "the coordinator could not serve this request: \(error)"))
        }
        return routed.reply(reply.frames)
    }

    /// nil: a SUBMIT now being taken in. `sender`: the request's routing, which names the client
    /// where there is no CURVE key.
    private func answer(_ request: ClientRequest, clientKey: String?, from sender: RoutedMessage,
                        performer: some EffectPerforming) throws -> ClientReply? {
        let connection = sender.identity
        let now = config.clock.now()
        switch request {
        case let .submit(job, rollout):
            do {
                return try beginSubmit(job, rollout: rollout, clientKey: clientKey, from: sender)
            } catch let error as SubmissionError {
                logger.warning("submission refused: \(error.message)")
                return .error(ErrorReply(code: .invalidJob, message: error.message, command: Command.submit.rawValue))
            }

        case .uploadBegin(let begin):
            do {
                let client = clientKey ?? connection.map { String(format: "%02x", $0) }.joined()
                return .ok(OkReply(upload: try spool.beginUpload(totalBytes: begin.totalBytes, client: client, now: now)))
            } catch {
                return .error(ErrorReply(code: .badRequest, message: error.message, command: Command.uploadBegin.rawValue))
            }

        case let .uploadChunk(chunk, bytes):
            do {
                return .ok(OkReply(upload: try spool.append(uploadId: chunk.uploadId, offset: chunk.offset, bytes: bytes,
                                                            now: now)))
            } catch {
                return .error(ErrorReply(code: .badRequest, message: error.message, command: Command.uploadChunk.rawValue))
            }

        case .status(let query):
            if let text = query.jobId {
                guard let id = JobID(text), let job = try report(job: id, listing: .page(after: query.clipsAfter)) else {
                    return notFound(text, command: .status)
                }
                return .ok(OkReply(job: job))
            }
            if query.clipsAfter != nil {
                return .error(ErrorReply(code: .badRequest, message: "clips_after pages one job's clips; give job_id too",
                                         command: Command.status.rawValue))
            }
            // Paged, newest first: one STATUS costs at most a page, however many jobs the farm has had.
            let limit = query.limit ?? StatusQuery.defaultLimit
            guard (1...StatusQuery.maxLimit).contains(limit) else {
                return .error(ErrorReply(code: .badRequest, message: "limit is \(limit); it must be 1...\(StatusQuery.maxLimit)",
                                         command: Command.status.rawValue))
            }
            var before: JobID?
            if let text = query.beforeJob {
                guard let id = JobID(text) else { return notFound(text, command: .status) }
                before = id
            }
            // Newest first until the page's jobs hold `clipsPerJobsPage` clips: a settled job's
            // counts cost the loop in proportion to its clips.
            let page = try store.jobs(before: before, limit: limit)
            var newestFirst: [JobRecord] = []
            var clips = 0
            for job in page.jobs.reversed() where newestFirst.isEmpty || clips < StatusQuery.clipsPerJobsPage {
                guard let record = try report(job: job.id, listing: .none) else { continue }
                newestFirst.append(record)
                clips += record.clipsTotal
            }
            let cut = newestFirst.count < page.jobs.count && clips >= StatusQuery.clipsPerJobsPage
            let jobs = Array(newestFirst.reversed())
            return .ok(OkReply(jobs: jobs, olderThan: page.more || cut ? jobs.first?.id : nil))

        case .workers:
            let workers = scheduler.workers.values.filter { $0.state != .gone }.sorted { $0.id < $1.id }
            return .ok(OkReply(workers: workers.map { Reports.worker($0, ready: workerDesk.routes.ready(of: $0.id)) }))

        case .cancelJob(let cancel):
            guard let id = JobID(cancel.jobId), let job = try acceptedJob(id) else {
                return notFound(cancel.jobId, command: .cancelJob)
            }
            if let owner = job.spec.submitterKey, owner != clientKey, config.security?.isOperator(clientKey) != true {
                return .error(ErrorReply(code: .forbidden,
                                         message: "job \(id) was submitted with client key \(owner); only that key or an "
                                             + "operator key (the coordinator's operator allow list) may cancel it",
                                         command: Command.cancelJob.rawValue))
            }
            let heldKeys = scheduler.heldClips.filter { $0.key.job == id }.map(\.key)
            if let effects = try scheduler.cancel(job: id, now: now) {
                logger.info("job \(id) cancelled by a client")
                for key in heldKeys { filing.held.release(key) }
                try performer.perform(effects)
            }
            return .ok(OkReply(job: try report(job: id, listing: .first)))

        case .retryJob(let retry):
            guard let id = JobID(retry.jobId), let job = try acceptedJob(id) else {
                return notFound(retry.jobId, command: .retryJob)
            }
            try filing.retryHeldClips(now: now, job: id, performer: performer)
            if job.state == .failed {
                guard spool.exists(job.rolloutPath) else {
                    return .error(ErrorReply(code: .badRequest, message: "job \(id) cannot be retried: its rollout \(job.rolloutPath) is no longer kept; submit it again",
                                             command: Command.retryJob.rawValue))
                }
                if let effects = try scheduler.retry(job: id, now: now) {
                    logger.info("job \(id): failed clips requeued by a client")
                    try performer.perform(effects)
                }
            } else if job.state.isTerminal {
                return .error(ErrorReply(code: .badRequest, message: "job \(id) is \(job.state.rawValue); only a failed job can be retried",
                                         command: Command.retryJob.rawValue))
            }
            return .ok(OkReply(job: try report(job: id, listing: .first)))
        case .fetchClip(let fetch):
            return try clipChunk(fetch, clientKey: clientKey)
        }
    }

    /// A SUBMIT's cheap checks, then its rollout to the intake (nil: answered when it is in); a
    /// repeat of an idempotent SUBMIT is answered with the job the first made.
    private func beginSubmit(_ job: SubmitJob, rollout: Data?, clientKey: String?,
                             from sender: RoutedMessage) throws -> ClientReply? {
        if let key = job.idempotencyKey {
            if let problem = SubmitJob.idempotencyKeyProblem(key) {
                throw SubmissionError("idempotency_key \(problem)")
            }
            // A repeated SUBMIT (its reply was lost): the job the first one made, nothing new.
            // (A job still being recorded has no report yet: the first SUBMIT's reply answers both, below.)
            if let existing = try store.job(idempotencyKey: key, submitter: clientKey),
               let record = try report(job: existing, listing: .first) {
                logger.info("SUBMIT with idempotency key \(key) repeated: answering with job \(existing)")
                return .ok(OkReply(job: record, appliedFields: job.requiredFields))
            }
        }
        if let refusal = try ownership.refusal(workflow: job.workflow, task: job.task, run: job.run, clientKey: clientKey,
                                               action: "submit into") {
            return .error(ErrorReply(code: .forbidden, message: refusal, command: Command.submit.rawValue))
        }
        if let id = job.uploadId, spool.isIncomplete(uploadId: id) {
            return .error(ErrorReply(code: .uploadIncomplete, message: "upload \(id) is not complete",
                                     command: Command.submit.rawValue))
        }
        if let key = job.idempotencyKey,
           let (ticket, _) = submitsInIntake.first(where: { $0.value.job.idempotencyKey == key
                                                           && $0.value.clientKey == clientKey }) {
            // Sent again while the first is in the intake: answered with it.
            submitsInIntake[ticket]?.alsoAnswer.append(SubmitInIntake.address(of: sender))
            return nil
        }
        if let refusal = intake.refusal(inlineBytes: rollout?.count ?? 0)
            ?? spool.disk.refusal(needed: rollout?.count ?? 0, promised: spool.promisedBytes) {
            logger.warning("submission refused: \(refusal)")
            return .error(ErrorReply(code: .queueFull, message: refusal, command: Command.submit.rawValue))
        }
        let taking = try spool.prepare(inline: rollout, uploadId: job.uploadId)
        let names = SubmissionPlanner.readsRunFileNames(job) ? try runFileNames(of: job) : .unread
        nextTicket += 1
        submitsInIntake[nextTicket] = SubmitInIntake(sender: sender, clientKey: clientKey, job: job)
        held[sender.identity] = []
        intake.take(SubmissionIntake.Submission(rollout: taking, request: job, names: names), ticket: nextTicket)
        return nil
    }

    /// Carries on the SUBMITs the intake is done with: plans and checks those whose rollouts are in,
    /// handing the accepted ones back to be recorded; adopts and answers those recorded. Then answers
    /// the requests that waited behind the answered ones; returns the routed replies to send, in order.
    func finishSubmits(performer: some EffectPerforming) throws -> [[Data]] {
        var replies: [[Data]] = []
        for done in intake.collect() {
            guard let submit = submitsInIntake[done.ticket] else { continue }
            let reply: ClientReply
            do {
                switch done.outcome {
                case .taken(let taken):
                    guard let refused = try admit(submit, ticket: done.ticket, taken: taken) else { continue }
                    reply = refused
                case .recorded(let recorded):
                    reply = try accept(submit, recorded: try recorded.get(), performer: performer)
                }
            } catch let error as StoreError {
                throw error
            } catch {
                logger.error("client request failed: \(error)")
                reply = .error(ErrorReply(code: .internal, message: "the coordinator could not serve this request: \(error)"))
            }
            submitsInIntake[done.ticket] = nil
            for sender in [submit.sender] + submit.alsoAnswer { replies.append(sender.reply(reply.frames)) }
            // What waited behind it, in order, until one is another SUBMIT to take in.
            let connection = submit.sender.identity
            var waiting = held.removeValue(forKey: connection) ?? []
            while !waiting.isEmpty {
                let next = waiting.removeFirst()
                if let reply = try self.reply(to: next.frames, clientKey: next.clientKey, performer: performer) {
                    replies.append(reply)
                }
                if held[connection] != nil {
                    held[connection] = waiting + (held[connection] ?? [])
                    break
                }
            }
        }
        return replies
    }

    /// A SUBMIT's rollout is in and its job planned (or refused): checks the plan, and hands the job
    /// to the intake to record (nil) or refuses it.
    private func admit(_ submit: SubmitInIntake, ticket: Int,
                       taken: Result<SubmissionIntake.Taken, SubmissionError>) throws -> ClientReply? {
        let job = submit.job
        let clientKey = submit.clientKey
        do {
            let taken = try taken.get()
            let file = taken.file
            spool.adopt(file)
            var planned: PlannedSubmission
            do {
                // The run may have been claimed by another key while the rollout came in.
                if let refusal = try ownership.refusal(workflow: job.workflow, task: job.task, run: job.run,
                                                       clientKey: clientKey, action: "submit into") {
                    spool.discard(file.path)
                    return .error(ErrorReply(code: .forbidden, message: refusal, command: Command.submit.rawValue))
                }
                planned = try currentPlan(of: job, taken: taken)
                planned.spec.submitterKey = clientKey
                planned.spec.idempotencyKey = job.idempotencyKey
            } catch {
                spool.discard(file.path)
                throw error
            }
            let recording = beingRecorded
            if let refusal = config.queueLimits.refusal(
                adding: planned.clips.count,
                open: scheduler.openClipCount() + recording.reduce(0) { $0 + $1.planned.clips.count },
                openOfClient: clientKey.map { key in
                    scheduler.openClipCount(submitter: key)
                        + recording.filter { $0.clientKey == key }.reduce(0) { $0 + $1.planned.clips.count }
                }) {
                spool.discard(file.path)
                logger.warning("submission refused: \(refusal)")
                return .error(ErrorReply(code: .queueFull, message: refusal, command: Command.submit.rawValue))
            }
            try ownership.claim(workflow: job.workflow, task: job.task, run: job.run, clientKey: clientKey)
            submitsInIntake[ticket]?.recording = planned
            intake.record(SubmissionIntake.JobRows(spec: planned.spec, clips: planned.clips, submittedAt: config.clock.now(),
                                                   rolloutPath: file.path), ticket: ticket)
            return nil
        } catch let error as SubmissionError {
            logger.warning("submission refused: \(error.message)")
            return .error(ErrorReply(code: .invalidJob, message: error.message, command: Command.submit.rawValue))
        }
    }

    /// A SUBMIT's job is recorded: the scheduler takes it on, and the first reply reports it.
    private func accept(_ submit: SubmitInIntake, recorded: SubmissionIntake.RecordedJob,
                        performer: some EffectPerforming) throws -> ClientReply {
        let (record, effects) = try scheduler.adopt(recorded.job, clips: recorded.clips, now: config.clock.now())
        let spec = record.spec
        logger.info("job \(record.id) accepted: \(spec.workflow)/\(spec.task)/\(spec.run), \(recorded.clips.count) clips, streams \(spec.streams.map { "\($0.prefix ?? "-") \($0.backend.rawValue) \($0.output.kind.rawValue)" }.joined(separator: ", "))")
        for warning in spec.warnings { logger.warning("job \(record.id): \(warning)") }
        try performer.perform(effects)
        return .ok(OkReply(job: try report(job: record.id, listing: .first), appliedFields: submit.job.requiredFields))
    }

    /// The intake's plan, or, where the run's file names it read have changed since the SUBMIT came
    /// (a job claimed or filed some meanwhile), the plan over the names as they are now.
    private func currentPlan(of job: SubmitJob, taken: SubmissionIntake.Taken) throws -> PlannedSubmission {
        if SubmissionPlanner.readsRunFileNames(job) {
            let names = try runFileNames(of: job)
            if !names.matches(taken.names) {
                return try planner.plan(job, rollout: taken.file.header, claimedFiles: names.claimed, filedFiles: names.filed)
            }
        }
        return try taken.plan.get()
    }

    /// What planning `job` reads of its run's folder besides the folder itself, now.
    private func runFileNames(of job: SubmitJob) throws(StoreError) -> RunFileNames {
        RunFileNames(claimed: claimedFiles(workflow: job.workflow, task: job.task, run: job.run),
                     filed: try filing.filedFiles(workflow: job.workflow, task: job.task, run: job.run))
    }

    /// Jobs accepted whose rows the intake is recording: the scheduler does not hold them yet, but
    /// their clips count against the queue limits and their files are claimed.
    private var beingRecorded: [(clientKey: String?, planned: PlannedSubmission)] {
        submitsInIntake.values.compactMap { submit in submit.recording.map { (submit.clientKey, $0) } }
    }

    /// Clip files in a run's video folder that unfinished jobs will write, those being recorded included.
    private func claimedFiles(workflow: String, task: String, run: String) -> [String] {
        scheduler.claimedFiles(workflow: workflow, task: task, run: run)
            + beingRecorded.filter { ($0.planned.spec.workflow, $0.planned.spec.task, $0.planned.spec.run) == (workflow, task, run) }
                .flatMap { $0.planned.clips.map(\.file) }
    }

    func notFound(_ id: String, command: Command) -> ClientReply {
        .error(ErrorReply(code: .notFound, message: "no job \(id.debugDescription) (job ids are numbers; see farmctl status)",
                          command: command.rawValue))
    }

    /// A job the store holds, unless it is still being recorded: the scheduler holds every unfinished
    /// job but one whose rows the intake has just written, which is not accepted (nor answered) until
    /// the loop adopts it.
    private func acceptedJob(_ id: JobID) throws(StoreError) -> TrackedJob? {
        guard let job = try store.job(id), job.state.isTerminal || scheduler.jobs[id] != nil else { return nil }
        return job
    }

    /// A job as clients see it, with live frame counts of the clips being rendered.
    func report(job id: JobID, listing: Reports.ClipListing) throws -> JobRecord? {
        let job: TrackedJob
        let tally: ClipTally
        let clip: (Int) -> TrackedClip?
        if let live = scheduler.unfinished(id) {
            (job, tally) = live
            clip = { [scheduler] in scheduler.clips[ClipKey(job: id, index: $0)] }
        } else {
            guard let stored = try acceptedJob(id) else { return nil }
            // Settled: counted in the store; only the clips the record names are read out.
            (job, tally) = (stored, try store.tally(of: id))
            var page: [Int: TrackedClip] = [:]
            if let start = listing.pageStart {
                for stored in try store.clips(of: id, offset: start, limit: StatusQuery.clipsPerPage) { page[stored.key.index] = stored }
            }
            let firstFailed = try tally.failed.min().flatMap { try store.clip(ClipKey(job: id, index: $0)) }
            clip = { index in page[index] ?? (firstFailed?.key.index == index ? firstFailed : nil) }
        }
        var record = Reports.job(job, tally: tally, clip: clip, workers: scheduler.workers, logsRoot: config.logsRoot,
                                 listing: listing)
        (record.filingPaused, record.actions) = filing.notices(for: record, heldClips: tally.count(.held))
        return record
    }
}

/// A SUBMIT in the intake: who to answer, and the job it asks for.
private struct SubmitInIntake {
    /// Where the SUBMIT came from (its payload is not kept).
    let sender: RoutedMessage
    let clientKey: String?
    let job: SubmitJob
    /// The same SUBMIT sent again (same idempotency key and client key) while this one was in the intake.
    var alsoAnswer: [RoutedMessage] = []
    /// The accepted job, once planned, while its rows are being recorded.
    var recording: PlannedSubmission?

    init(sender: RoutedMessage, clientKey: String?, job: SubmitJob) {
        self.sender = Self.address(of: sender)
        self.clientKey = clientKey
        self.job = job
    }

    /// Whom `message` came from, to answer later: its routing without its payload.
    static func address(of message: RoutedMessage) -> RoutedMessage {
        RoutedMessage(identity: message.identity, delimited: message.delimited, payload: [])
    }
}
