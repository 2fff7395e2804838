import FarmCore
import FarmWire
import Foundation
import Logging

/// The coordinator's loop: it owns the sockets, polls them, hands each message to the part of the
/// coordinator whose side it is (`ClientDesk`, `WorkerDesk`), and carries out the scheduler's
/// effects (`EffectPerforming`). The parts own their state: the workers' routes are the worker
/// desk's, held clips and the filing pause the `FilingDesk`'s, the snapshot cadence the
/// `SnapshotPublisher`'s; the scheduler owns jobs, clips and workers. Not `Sendable`: `Coordinator`
/// hands the loop, once, to the thread that calls `run()`, and only that thread touches it or its
/// parts from then on.
final class CoordinatorLoop: EffectPerforming {
    let config: CoordinatorConfig
    /// Endpoints as bound (a `:0` port resolved to the one the OS chose).
    let workerEndpoint: String
    let clientEndpoint: String

    private let logger: Logger
    private let scheduler: Scheduler
    /// The scheduler's store, which the parts and the monitoring read directly.
    private let store: CoordinatorStore
    private let spool: RolloutSpool
    private let filing: FilingDesk
    private let workers: WorkerDesk
    private let clients: ClientDesk
    private let monitor: (any CoordinatorMonitor)?
    private var snapshots: SnapshotPublisher
    private let lock: StateDirectoryLock

    private let context: ZMQContext
    /// Decides every handshake on both sockets (`HandshakeGate`); stopped in `run()`.
    private let zap: ZAPHandler
    private let workerSocket: ZMQSocket
    private let clientSocket: ZMQSocket
    /// Wakes the loop's poll; `Coordinator.stop()` signals it from any thread.
    /// Runs of replies libzmq would not take, per client (`sendToClient`).
    private var undelivered = RefusalEpisodes(capacity: 1024)
    let wake: WakePipe

    init(config: CoordinatorConfig, logger: Logger, monitor: (any CoordinatorMonitor)?) throws(CoordinatorError) {
        var config = config
        // Clients are told where clips land: give them paths that mean something from anywhere.
        config.logsRoot = Self.absolute(config.logsRoot)
        config.stateDirectory = Self.absolute(config.stateDirectory)
        self.config = config
        self.logger = logger
        self.monitor = monitor
        do {
            try FileManager.default.createDirectory(atPath: config.stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw .stateDirectory(path: config.stateDirectory, reason: "\(error)")
        }
        lock = try StateDirectoryLock(stateDirectory: config.stateDirectory)
        // A trainer on this machine tells a local farm by its logs root and links clips from there
        // (the courier): it exists from the start, not from the first clip filed.
        do {
            try FileManager.default.createDirectory(atPath: config.logsRoot, withIntermediateDirectories: true)
        } catch {
            logger.warning("cannot create the logs root \(config.logsRoot) yet: \(error); clips are held until it can be")
        }
        let held: HeldClips
        let heartbeatLog: HeartbeatLog
        do {
            spool = try RolloutSpool(stateDirectory: config.stateDirectory, limits: config.uploadLimits)
            held = try HeldClips(stateDirectory: config.stateDirectory)
            heartbeatLog = try HeartbeatLog(path: (config.stateDirectory as NSString).appendingPathComponent("heartbeats.jsonl"),
                                            maxBytes: config.heartbeatLogMaxBytes, keep: config.heartbeatLogKeep)
        } catch {
            throw .stateDirectory(path: config.stateDirectory, reason: "\(error)")
        }
        do {
            store = try CoordinatorStore.open(stateDirectory: config.stateDirectory)
            scheduler = try Scheduler(store: store, policy: config.policy, now: config.clock.now())
        } catch {
            throw .store(error)
        }
        let filer: ClipFiler
        do {
            filer = ClipFiler(logsRoot: config.logsRoot, temporaryTag: try FilingTag.load(stateDirectory: config.stateDirectory))
        } catch {
            throw .stateDirectory(path: config.stateDirectory, reason: "cannot keep the filing tag: \(error)")
        }
        filing = FilingDesk(held: held, filer: filer, config: config, logger: logger, scheduler: scheduler, store: store)
        workers = WorkerDesk(config: config, logger: logger, scheduler: scheduler, filing: filing, heartbeatLog: heartbeatLog,
                             monitor: monitor)
        do { wake = try WakePipe() } catch { throw .socket(error) }
        clients = ClientDesk(config: config, logger: logger, scheduler: scheduler, store: store, spool: spool, filing: filing,
                             workerDesk: workers, wake: wake)
        snapshots = SnapshotPublisher(monitor: monitor, liveness: config.policy.liveness)
        do {
            context = try ZMQContext()
            workerSocket = try ZMQSocket(context: context, kind: .router)
            clientSocket = try ZMQSocket(context: context, kind: .router)
            let gate = HandshakeGate(security: config.security, maxConnectionsPerAddress: config.maxConnectionsPerAddress,
                                     logger: logger)
            var monitors: [String: String] = [:]
            for (socket, domain) in [(workerSocket, CoordinatorSecurity.workerDomain), (clientSocket, CoordinatorSecurity.clientDomain)] {
                let endpoint = "inproc://farm.connections.\(domain)"
                try socket.monitorConnections(on: endpoint)
                monitors[domain] = endpoint
            }
            zap = try ZAPHandler(context: context, monitors: monitors, policy: gate.refusal)
            if let security = config.security {
                try workerSocket.useCurveServer(secretKey: security.keys.secretKey, zapDomain: CoordinatorSecurity.workerDomain)
                try clientSocket.useCurveServer(secretKey: security.keys.secretKey, zapDomain: CoordinatorSecurity.clientDomain)
            } else {
                try workerSocket.useZAPDomain(CoordinatorSecurity.workerDomain)
                try clientSocket.useZAPDomain(CoordinatorSecurity.clientDomain)
            }
            workerEndpoint = try workerSocket.bind(config.workerEndpoint)
            clientEndpoint = try clientSocket.bind(config.clientEndpoint)
        } catch {
            throw .socket(error)
        }
        // A failed job's rollout stays for `farmctl retry`.
        let failed: [TrackedJob]
        do { failed = try store.jobs(in: [.failed]) } catch { throw .store(error) }
        let orphans = spool.removeOrphans(keeping: Set((Array(scheduler.jobs.values) + failed).map(\.rolloutPath)))
        if !orphans.isEmpty { logger.info("removed \(orphans.count) spool file(s) no unfinished job uses") }
        do { try keepFailedRolloutsWithinBounds() } catch { throw .store(error) }
        for problem in scheduler.restoreProblems { logger.error("state database: \(problem)") }
        filing.resume()
        let resumed = scheduler.jobs.count
        if resumed > 0 {
            logger.info("resumed \(resumed) unfinished job(s) from \(store.path); \(scheduler.pendingClips.count) clip(s) pending")
        }
    }

    /// What the HTTP side reads besides the snapshots.
    var monitorSources: MonitorSources {
        MonitorSources(store: store, stateDirectory: config.stateDirectory, logsRoot: config.logsRoot,
                       heartbeatLogPath: workers.heartbeatLog.path)
    }

    private static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
    }

    /// Serves until `isStopRequested()`. Throws only when the state database fails (the coordinator
    /// stops rather than lose track of jobs) or a socket breaks.
    func run(isStopRequested: () -> Bool) throws(CoordinatorError) {
        let security = config.security.map { "CURVE on, coordinator key \($0.keys.publicKey)" } ?? "no authentication"
        logger.info("serving workers on \(workerEndpoint), clients on \(clientEndpoint) (\(security)); logs root \(config.logsRoot)")
        var timer = HeartbeatTimer(interval: config.policy.liveness.interval, now: config.clock.now())
        let pollCap = Duration.milliseconds(Int(max(10, config.policy.liveness.interval * 250)))
        snapshots.publish(now: config.clock.now(), scheduler: scheduler, routes: workers.routes)
        clients.start()
        defer { clients.stop() }
        do {
            while !isStopRequested() {
                let wait = min(pollCap, .milliseconds(Int(timer.remaining(now: config.clock.now()) * 1000)))
                let ready = try ZMQPoller.poll([.socket(workerSocket), .socket(clientSocket), .descriptor(wake.readDescriptor)],
                                               timeout: wait)
                if ready[2] { wake.drain() }
                // SUBMITs whose rollouts the intake thread has taken in are planned and answered.
                let finished = try clients.finishSubmits(performer: self)
                for reply in finished { sendToClient(reply) }
                // Bounded batches so neither socket starves the other. Workers are read again after
                // clients and finished SUBMITs: heartbeats that queued while a request was served are
                // read before liveness is judged, so a slow request cannot make a live worker look silent.
                if ready[0] { try drain(workerSocket, handle: takeWorkerMessage) }
                if ready[1] { try drain(clientSocket, handle: answerClient) }
                if ready[1] || !finished.isEmpty { try drain(workerSocket, handle: takeWorkerMessage) }
                let now = config.clock.now()
                try perform(try scheduler.tick(now: now))
                if filing.state.isRetryDue(now: now) { try filing.retryHeldClips(now: now, performer: self) }
                if timer.isDue(now: now) {
                    for id in spool.expireIdleUploads(now: now) {
                        logger.warning("upload \(id) dropped: no chunk for \(Int(config.uploadLimits.idleExpiry)) s")
                    }
                    sendHeartbeats()
                    snapshots.publish(now: now, scheduler: scheduler, routes: workers.routes)
                } else if ready[0] || ready[1] {
                    snapshots.publishIfWorkersChanged(now: now, scheduler: scheduler, routes: workers.routes)
                }
            }
        } catch let error as StoreError {
            logger.critical("\(error)")
            throw .store(error)
        } catch let error as SocketError {
            logger.critical("\(error)")
            throw .socket(error)
        } catch {
            logger.critical("\(error)")
            throw .unexpected("\(error)")
        }
        clients.stop()  // before the goodbyes: nothing is answered after them
        sayGoodbye()
        zap.stop()
        lock.release()
        logger.info("stopped; state is in \(store.path)")
    }

    /// A worker message whose handling failed for any reason but the state database is logged and
    /// dropped: one bad message never stops the farm.
    private func takeWorkerMessage(_ frames: [Data], workerKey: String?) throws {
        do {
            if let reply = try workers.take(frames, workerKey: workerKey, performer: self) { try? workerSocket.send(reply) }
        } catch let error as StoreError {
            throw error
        } catch {
            logger.error("worker message dropped: \(error)")
        }
    }

    /// Sends the client desk's reply to a client's request, if it has one now.
    private func answerClient(_ frames: [Data], clientKey: String?) throws {
        if let reply = try clients.reply(to: frames, clientKey: clientKey, performer: self) { sendToClient(reply) }
    }

    /// Sends a reply; one that libzmq cannot take (the client's queue is full, or it is gone) is
    /// dropped, and a run of such drops to one client logs two lines, not one per reply.
    private func sendToClient(_ reply: [Data]) {
        let identity = reply.first ?? Data()
        do {
            try clientSocket.send(reply, counting: clients.replyCounters(for: identity))
            if !undelivered.isEmpty, let dropped = undelivered.accepted(RoutingIdentity.printable(identity)) {
                logger.info("replies reach client \(RoutingIdentity.printable(identity)) again (\(dropped) dropped)")
            }
        } catch {
            if undelivered.refused(RoutingIdentity.printable(identity)) {
                logger.warning("reply to client \(RoutingIdentity.printable(identity)): \(error); dropping its replies until one goes")
            }
        }
    }

    /// Hands each waiting message, with its sender's CURVE key when authenticated, to `handle`.
    private func drain(_ socket: ZMQSocket, handle: ([Data], String?) throws -> Void) throws {
        for _ in 0..<256 {
            guard let message = try socket.receiveMessage(timeout: .zero) else { return }
            try handle(message.frames, message.userID)
        }
    }

    private func sendHeartbeats() {
        let message = CoordinatorMessage.heartbeat(CoordinatorHeartbeat()).frames
        for (id, worker) in scheduler.workers where worker.state.isLive {
            send(toWorker: id, message)
        }
    }

    /// Tells connected workers the coordinator is going away, giving the goodbyes a moment to leave
    /// before the sockets close; workers reconnect with backoff and keep rendering meanwhile.
    private func sayGoodbye() {
        let message = CoordinatorMessage.disconnect(Disconnect(reason: "coordinator stopping")).frames
        for (id, worker) in scheduler.workers where worker.state.isLive {
            send(toWorker: id, message)
        }
        workerSocket.close(linger: .milliseconds(200))
        clientSocket.close()
    }

    /// Sends to a worker; false when it cannot be reached (it is gone from the socket).
    @discardableResult
    private func send(toWorker id: WorkerID, _ frames: [Data]) -> Bool {
        do {
            try workerSocket.send(RoutedMessage.frames(to: workers.routes.identity(of: id), payload: frames))
            return true
        } catch {
            if !error.isUnroutable { logger.warning("send to worker \(id): \(error)") }
            return false
        }
    }

    // MARK: Effects

    /// Carries out the scheduler's effects, and those that follow from them (a failed send, say).
    func perform(_ effects: [SchedulerEffect]) throws {
        var queue = effects[...]
        while let effect = queue.popFirst() {
            let now = config.clock.now()
            switch effect {
            case .dispatch(let dispatch):
                queue.append(contentsOf: try sendTask(dispatch, now: now))
            case let .cancel(worker, clip, attempt):
                send(toWorker: worker, CoordinatorMessage.cancel(
                    CancelTask(jobId: String(clip.job), clipId: clip.index, attempt: attempt)).frames)
            case .disconnect(let worker):
                send(toWorker: worker, CoordinatorMessage.error(ErrorReply(
                    code: .notRegistered,
                    message: "worker \(worker) was declared lost (\(lossText(worker, scheduler.workers[worker]?.lossCause ?? .silent))); "
                        + "its clip went to another worker. Send READY to get work again.",
                    command: Command.heartbeat.rawValue)).frames)
            case let .workerLost(worker, requeued, cause):
                monitor?.record(.workerLost)
                let clip = requeued.map { "; clip \($0) goes back to the queue without using a retry" } ?? ""
                logger.warning("worker \(worker) lost: \(lossText(worker, cause))\(clip)")
            case let .clipPoisoned(clip, reason):
                logger.error("clip \(clip) failed: \(reason)")
            case .clipRequeued:
                monitor?.record(.clipRequeued)
            case .clipRetried:
                monitor?.record(.clipRetried)
            case .inconsistency(let problem):
                logger.error("scheduler bookkeeping: \(problem)")
            case let .jobSettled(id, state):
                logger.info("job \(id) \(state.rawValue)")
                // A failed job keeps its rollout so `farmctl retry` can render its clips again, as
                // long as failed jobs' rollouts fit their share of the spool.
                if state != .failed, let job = try store.job(id) { spool.discard(job.rolloutPath) }
                if state == .failed { try keepFailedRolloutsWithinBounds() }
            }
        }
    }

    /// Drops the oldest failed jobs' rollouts past `FailedRolloutRetention`.
    private func keepFailedRolloutsWithinBounds() throws(StoreError) {
        let kept = try store.failedRolloutPaths().compactMap { path in spool.size(of: path).map { (path: path, bytes: $0) } }
        for path in config.failedRolloutRetention.toDrop(kept) {
            spool.discard(path)
            logger.info("""
                dropped the rollout \(path) of a failed job: failed jobs keep \(config.failedRolloutRetention.maxBytes) bytes \
                of rollouts at most, the newest first; retrying that job needs it submitted again
                """)
        }
    }

    /// Why a worker was declared lost, in words.
    private func lossText(_ worker: WorkerID, _ cause: WorkerLoss) -> String {
        switch cause {
        case .silent: "silent past the \(silenceAllowed(worker)) s allowed"
        case .unreachable: "unreachable: a message to it could not be sent"
        case .stalled(let seconds):
            "alive but no frame of its clip rendered for \(Int(seconds)) s (clip_stall_timeout_s is "
                + "\(Int(config.policy.stallTimeout))): a hung GPU driver or encoder"
        }
    }

    /// The silence the worker is allowed, to a tenth of a second, for messages about its loss.
    private func silenceAllowed(_ worker: WorkerID) -> Double {
        ((scheduler.allowedSilence(of: worker) ?? config.policy.liveness.timeout) * 10).rounded() / 10
    }

    /// TASK with the clip's rollout slice; a rollout that cannot be read fails the clip for good
    /// (no worker could render it), an unreachable worker is lost.
    private func sendTask(_ dispatch: Dispatch, now: Double) throws -> [SchedulerEffect] {
        let clip = dispatch.clip
        let spec = dispatch.job.spec
        let slice: RolloutSlice
        do {
            let rollout = try spool.rollout(at: dispatch.job.rolloutPath)
            let steps = clip.plan.steps
            slice = try RolloutSlice(source: rollout, steps: (steps.min() ?? 0)..<((steps.max() ?? 0) + 1))
        } catch {
            logger.error("clip \(clip.key): cannot read its rollout \(dispatch.job.rolloutPath): \(error)")
            return try scheduler.failed(worker: dispatch.worker, clip: clip.key, attempt: dispatch.attempt,
                                        error: "the coordinator cannot read the job's rollout: \(error)",
                                        retryable: false, now: now).1
        }
        let stream = spec.stream(clip.plan.stream)
        let task = TaskAssignment(
            jobId: String(clip.key.job), clipId: clip.key.index, attempt: dispatch.attempt, clipFile: clip.plan.file,
            backendInputs: stream.backendInputs,
            camera: TaskCamera(eye: stream.camera.eye, lookat: stream.camera.lookat,
                               followsCameraTrack: stream.followsCameraTrack, anchor: stream.anchor),
            width: stream.width, height: stream.height, fps: stream.frameRate, steps: clip.plan.steps,
            output: stream.output)
        guard send(toWorker: dispatch.worker, CoordinatorMessage.task(task, rollout: slice).frames) else {
            logger.warning("worker \(dispatch.worker) is unreachable; clip \(clip.key) goes back to the queue")
            return try scheduler.lose(worker: dispatch.worker, now: now)
        }
        logger.debug("clip \(clip.key) (\(clip.plan.file)) attempt \(dispatch.attempt) → \(dispatch.worker)")
        return []
    }
}
