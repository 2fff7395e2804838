import FarmCore
import FarmWire
import Foundation
import Logging

/// The worker side: messages on the worker socket. Owns the workers' routes and READYs and the
/// heartbeat log; asks the scheduler and filing for the rest, and hands the scheduler's effects to
/// the loop.
final class WorkerDesk {
    let config: CoordinatorConfig
    let logger: Logger
    let scheduler: Scheduler
    let filing: FilingDesk
    let heartbeatLog: HeartbeatLog
    let monitor: (any CoordinatorMonitor)?
    /// Routing identities of workers, both ways, and what each said in READY.
    private(set) var routes = WorkerRoutes()

    init(config: CoordinatorConfig, logger: Logger, scheduler: Scheduler, filing: FilingDesk, heartbeatLog: HeartbeatLog,
         monitor: (any CoordinatorMonitor)?) {
        self.config = config
        self.logger = logger
        self.scheduler = scheduler
        self.filing = filing
        self.heartbeatLog = heartbeatLog
        self.monitor = monitor
    }

    /// Takes one message from the worker socket; returns the routed reply to send back, if any
    /// (a refusal: workers get no reply to what they send right). `workerKey`: the sender's CURVE
    /// public key (Z85) when the socket is authenticated.
    func take(_ frames: [Data], workerKey: String?, performer: some EffectPerforming) throws -> [Data]? {
        let routed: RoutedMessage
        do {
            routed = try RoutedMessage(routerFrames: frames)
        } catch {
            logger.warning("worker socket: \(error)")
            return nil
        }
        let message: WorkerMessage
        do {
            message = try WorkerMessage.parse(routed.payload, limits: config.limits)
        } catch {
            logger.warning("worker \(RoutingIdentity.printable(routed.identity)): refused message: \(error)")
            return routed.reply(CoordinatorMessage.error(ErrorReply(error)).frames)
        }
        let now = config.clock.now()
        let worker = routes.worker(from: routed.identity)
        let speaksFor: WorkerID = if case .ready(let ready) = message { ready.workerId } else { worker }
        if let refusal = routes.refusal(worker: speaksFor, key: workerKey) {
            logger.warning("worker \(RoutingIdentity.printable(routed.identity)): refused \(message.command.rawValue): \(refusal)")
            return routed.reply(CoordinatorMessage.error(ErrorReply(code: .forbidden, message: refusal,
                                                                    command: message.command.rawValue)).frames)
        }
        switch message {
        case .ready(let ready):
            routes.register(ready, from: routed.identity, key: workerKey)
            logger.info("worker \(ready.workerId) ready: \(ready.host) pid \(ready.pid), \(ready.device.summary), \(ready.device.glRenderer), backends \(ready.backends.map(\.rawValue))")
            try performer.perform(try scheduler.ready(worker: ready.workerId, info: Reports.info(ready), now: now))

        case .heartbeat(let beat):
            let holding = Self.clipKey(job: beat.jobId, clip: beat.clipId).map { ($0, beat.attempt ?? 0) }
            let progress = beat.framesTotal > 0
                ? ClipProgress(framesDone: beat.framesDone, framesTotal: beat.framesTotal, fps: beat.fps) : nil
            guard let effects = try scheduler.heartbeat(worker: worker, holding: holding, progress: progress,
                                                        rssBytes: beat.rssBytes, draining: beat.state == .draining,
                                                        now: now) else {
                return routed.reply(CoordinatorMessage.error(ErrorReply(
                    code: .notRegistered, message: "unknown worker \(worker): send READY first",
                    command: Command.heartbeat.rawValue)).frames)
            }
            routes.bind(worker, to: routed.identity, key: workerKey)
            logHeartbeat(beat, worker: worker, now: now)
            try performer.perform(effects)

        case .result(let result, let mp4):
            scheduler.heard(from: worker, now: now)
            guard let key = Self.clipKey(job: result.jobId, clip: result.clipId) else {
                logger.warning("worker \(worker): RESULT for unknown job \(result.jobId.debugDescription); dropped")
                return nil
            }
            if let job = scheduler.jobs[key.job], let clip = scheduler.clips[key],
               let refusal = ResultCheck(job: job.spec, clip: clip.plan)
                .refusal(of: mp4, name: "RESULT \(key) from \(worker)") {
                // The worker's output is at fault, not the coordinator: a failed attempt, retried elsewhere.
                let (verdict, effects) = try scheduler.failed(worker: worker, clip: key, attempt: result.attempt,
                                                              error: refusal, retryable: true, now: now)
                if case .dropped(let reason) = verdict {
                    logger.info("RESULT dropped: \(reason)")
                } else {
                    logger.warning("clip \(key) from \(worker): \(refusal)")
                }
                try performer.perform(effects)
                return nil
            }
            let (verdict, effects) = try scheduler.result(worker: worker, clip: key, attempt: result.attempt, now: now) {
                job, clip in
                let outcome = filing.fileOrHold(mp4, job: job, clip: clip)
                guard case .done = outcome else { return outcome }
                monitor?.record(.clipFiled(worker: worker, host: routes.ready(of: worker)?.host ?? "",
                                           frames: result.stats.frames,
                                           renderSeconds: result.stats.wallMs / 1000,
                                           submitToFiledSeconds: max(0, now - job.submittedAt)))
                return outcome
            }
            switch verdict {
            case .accepted(let path):
                let destination = path.map { "→ \($0)" } ?? scheduler.clips[key]?.removed ?? ""
                logger.info("clip \(key) from \(worker): \(result.stats.frames) frames, \(mp4.count) bytes \(destination)")
            case .dropped(let reason):
                logger.info("RESULT dropped: \(reason)")
            case .filingFailed(let reason):
                logger.error("clip \(key) from \(worker): \(reason)")
            case .held(let reason):
                logger.warning("clip \(key) from \(worker) held, not the worker's fault: \(reason)")
            }
            try performer.perform(effects)

        case .failed(let failure):
            scheduler.heard(from: worker, now: now)
            guard let key = Self.clipKey(job: failure.jobId, clip: failure.clipId) else {
                logger.warning("worker \(worker): FAILED for unknown job \(failure.jobId.debugDescription); dropped")
                return nil
            }
            let (verdict, effects) = try scheduler.failed(worker: worker, clip: key, attempt: failure.attempt,
                                                          error: failure.error, retryable: failure.retryable, now: now)
            if case .dropped(let reason) = verdict {
                logger.info("FAILED dropped: \(reason)")
            } else {
                logger.warning("clip \(key) failed on \(worker) (retryable: \(failure.retryable)): \(failure.error)")
            }
            try performer.perform(effects)

        case .disconnect(let goodbye):
            logger.info("worker \(worker) leaving: \(goodbye.reason)")
            try performer.perform(try scheduler.leave(worker: worker, now: now))

        case .error(let reply):
            logger.warning("worker \(worker) refused a message: \(reply.code): \(reply.message)")
        }
        return nil
    }

    private func logHeartbeat(_ beat: WorkerHeartbeat, worker: WorkerID, now: Double) {
        let ready = routes.ready(of: worker) ?? scheduler.workers[worker].map(Reports.ready(for:))
        guard let ready else { return }
        do {
            try heartbeatLog.append(HeartbeatRecord(timestamp: now, ready: ready, beat: beat))
        } catch {
            logger.warning("heartbeat log \(heartbeatLog.path): \(error)")
        }
    }

    /// Job ids on the wire are the decimal job number.
    static func clipKey(job: String?, clip: Int?) -> ClipKey? {
        guard let job, let id = JobID(job), let clip else { return nil }
        return ClipKey(job: id, index: clip)
    }
}
