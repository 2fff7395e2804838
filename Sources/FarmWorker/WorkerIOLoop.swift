import FarmCore
import FarmWire
import Foundation
import Logging

/// The I/O thread's state: the current DEALER (replaced on every reconnect) and the timers.
struct WorkerIOLoop {
    let daemon: WorkerDaemon
    let context: ZMQContext
    let ready: Ready
    let render: RenderThread
    let clock = ContinuousClock()
    var socket: ZMQSocket?
    var lastHeard: ContinuousClock.Instant
    var reconnectAt: ContinuousClock.Instant
    var nextBeat: ContinuousClock.Instant
    var failedAttempts = 0
    var draining = false
    /// Whether the coordinator has said anything on the current connection.
    var heardSinceConnect = false

    init(daemon: WorkerDaemon, context: ZMQContext, ready: Ready, render: RenderThread) {
        self.daemon = daemon
        self.context = context
        self.ready = ready
        self.render = render
        let now = clock.now
        (lastHeard, reconnectAt, nextBeat) = (now, now, now + daemon.configuration.heartbeatInterval)
    }

    var configuration: WorkerConfiguration { daemon.configuration }
    var logger: Logger { daemon.logger }

    mutating func run() throws(WorkerError) {
        while true {
            let drainRequested = daemon.shared.withLock { $0.drainRequested }
            if drainRequested && !draining {
                draining = true
                logger.info("draining: finishing the current clip, taking no new ones")
            }
            if draining && daemon.shared.withLock({ $0.clip == nil }) {
                try leave()
                return
            }
            var now = clock.now
            if socket == nil && now >= reconnectAt { try connect() }
            flushOutbox()
            now = clock.now
            if now >= nextBeat {
                beat()
                nextBeat += configuration.heartbeatInterval
                // After a stall, beat on the interval from now rather than catching up in a burst.
                if nextBeat <= now { nextBeat = now + configuration.heartbeatInterval }
            }
            if socket != nil && now - lastHeard >= configuration.livenessTimeout {
                reconnectLater(reason: "coordinator silent for \(configuration.livenessIntervals) heartbeat intervals")
            }
            try waitAndReceive()
        }
    }

    private mutating func connect() throws(WorkerError) {
        do {
            let dealer = try ZMQSocket(context: context, kind: .dealer)
            try dealer.setIdentity(Data(ready.workerId.utf8))
            if let curve = configuration.curve { try dealer.useCurveClient(curve) }
            try dealer.connect(configuration.coordinator)
            socket = dealer
        } catch {
            throw .socket(error)
        }
        lastHeard = clock.now
        heardSinceConnect = false
        send(.ready(ready))
        logger.info("connecting to \(configuration.coordinator) (attempt \(failedAttempts + 1))")
    }

    private mutating func reconnectLater(reason: String) {
        socket?.close()
        socket = nil
        let delay = configuration.backoff.delay(attempt: failedAttempts)
        failedAttempts += 1
        reconnectAt = clock.now + delay
        logger.warning("\(reason); reconnecting in \(delay)")
    }

    /// Blocks until a message, a wake-up (finished clip, drain request) or the next timer.
    private mutating func waitAndReceive() throws(WorkerError) {
        let now = clock.now
        var deadline = nextBeat
        if socket != nil {
            deadline = min(deadline, lastHeard + configuration.livenessTimeout)
        } else {
            deadline = min(deadline, reconnectAt)
        }
        var items: [ZMQPoller.Item] = [.descriptor(daemon.wake.readDescriptor)]
        if let socket { items.append(.socket(socket)) }
        let readable: [Bool]
        do { readable = try ZMQPoller.poll(items, timeout: max(deadline - now, .zero)) } catch { throw .socket(error) }
        if readable[0] { daemon.wake.drain() }
        guard readable.count > 1, readable[1] else { return }
        while let socket, let frames = receive(socket) {
            lastHeard = clock.now
            heardSinceConnect = true
            failedAttempts = 0
            try handle(frames)
        }
    }

    private func receive(_ socket: ZMQSocket) -> [Data]? {
        do {
            return try socket.receive()
        } catch {
            logger.error("\(error)")
            return nil
        }
    }

    private mutating func handle(_ frames: [Data]) throws(WorkerError) {
        let message: CoordinatorMessage
        do {
            message = try CoordinatorMessage.parse(frames, limits: configuration.limits)
        } catch {
            refuse(frames, error)
            return
        }
        switch message {
        case .task(let task, let rollout):
            accept(task, rollout: rollout)
        case .heartbeat:
            break
        case .cancel(let cancel):
            let matched = daemon.shared.withLock { state in
                guard let clip = state.clip, clip.matches(cancel) else { return false }
                state.clip?.cancelled = true
                return true
            }
            logger.info("CANCEL clip \(cancel.clipId) of job \(cancel.jobId) (attempt \(cancel.attempt)): \(matched ? "abandoning it" : "not rendering it; ignored")")
        case .disconnect(let disconnect):
            reconnectLater(reason: "coordinator sent DISCONNECT (\(disconnect.reason))")
        case .error(let error):
            if error.code == .versionMismatch { throw .versionMismatch(error.message) }
            if error.code == .notRegistered {
                logger.info("coordinator does not know this worker; sending READY again")
                send(.ready(ready))
            } else {
                logger.warning("coordinator refused a message: \(error.code): \(error.message)")
            }
        }
    }

    /// A message that did not parse: a TASK whose ids are readable gets FAILED (so the
    /// coordinator stops dispatching it); anything else gets ERROR.
    private mutating func refuse(_ frames: [Data], _ error: ProtocolError) {
        logger.warning("refused a coordinator message: \(error)")
        struct TaskIds: Decodable {
            let jobId: String
            let clipId: Int
            let attempt: Int
        }
        if frames.count >= 3, frames[1] == Data(Command.task.rawValue.utf8), error.code != .versionMismatch,
           let ids = try? WireJSON.decode(TaskIds.self, from: frames[2], command: "TASK") {
            send(.failed(TaskFailure(jobId: ids.jobId, clipId: ids.clipId, attempt: ids.attempt,
                                     error: "task refused: \(error)", retryable: false)))
        } else {
            send(.error(ErrorReply(error, command: frames.count > 1 ? WireMessage.printable(frames[1]) : nil)))
        }
    }

    private mutating func accept(_ task: TaskAssignment, rollout: RolloutSlice) {
        let busy = daemon.shared.withLock { $0.clip }
        if draining || busy != nil {
            let reason = draining ? "worker is draining (SIGTERM)" : "worker is busy with clip \(busy!.clipId) of job \(busy!.jobId)"
            send(daemon.failure(task, reason, retryable: true))
            return
        }
        let resolution: BackendResolution
        do {
            resolution = try TaskBackend.resolve(task.backendInputs, catalog: configuration.presets, served: ready.backends)
        } catch {
            send(daemon.failure(task, error.message, retryable: error.retryable))
            return
        }
        for warning in resolution.warnings { logger.warning("\(warning)") }
        let output = (configuration.scratchDirectory as NSString)
            .appendingPathComponent("\(Self.fileSafe(task.jobId))-\(task.clipId)-\(task.attempt).mp4")
        daemon.shared.withLock {
            $0.clip = .init(jobId: task.jobId, clipId: task.clipId, attempt: task.attempt, outputPath: output,
                            progress: ClipProgress(framesDone: 0, framesTotal: task.steps.count, fps: 0))
        }
        logger.info("TASK clip \(task.clipId) (\(task.clipFile)) of job \(task.jobId), attempt \(task.attempt): \(task.steps.count) frames, \(resolution.backend.rawValue)")
        render.submit(RenderJob(task: task, request: task.renderRequest(backend: resolution.backend),
                                rollout: rollout.rollout, outputPath: output))
        beat()
    }

    private func flushOutbox() {
        guard socket != nil else { return }
        let messages = daemon.shared.withLock { state in
            defer { state.outbox.removeAll() }
            return state.outbox
        }
        for message in messages { send(message) }
    }

    private func send(_ message: WorkerMessage) {
        guard let socket else { return }
        do {
            try socket.send(message.frames)
        } catch {
            logger.error("could not send \(message.command.rawValue): \(error)")
        }
    }

    /// HEARTBEAT to the coordinator (when connected), one JSON line on stdout, the health file.
    private func beat() {
        let rss = ProcessStats.residentBytes()
        let heartbeat = daemon.shared.withLock { state -> WorkerHeartbeat in
            guard let clip = state.clip else { return WorkerHeartbeat(state: draining ? .draining : .idle, rssBytes: rss) }
            return WorkerHeartbeat(state: draining ? .draining : .rendering, jobId: clip.jobId, clipId: clip.clipId,
                                   attempt: clip.attempt, framesDone: clip.progress.framesDone,
                                   framesTotal: clip.progress.framesTotal,
                                   fps: clip.progress.fps.isFinite ? clip.progress.fps : 0, rssBytes: rss)
        }
        send(.heartbeat(heartbeat))
        let now = Date().timeIntervalSince1970
        if configuration.printHeartbeats {
            // One unbuffered write per line, so lines never interleave with log output.
            FileHandle.standardOutput.write(Data((HeartbeatRecord(timestamp: now, ready: ready, beat: heartbeat).jsonLine() + "\n").utf8))
        }
        if let path = configuration.healthFile {
            let health = WorkerHealth(time: now, worker: ready.workerId, state: heartbeat.state,
                                      connected: socket != nil && heardSinceConnect, coordinator: configuration.coordinator)
            do {
                try (WireJSON.encode(health) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                logger.error("cannot write health file \(path): \(error.localizedDescription)")
            }
        }
    }

    /// Drained: make sure queued results and DISCONNECT go out (reconnecting once if need be),
    /// then close with a linger so they are delivered.
    private mutating func leave() throws(WorkerError) {
        if socket == nil { try connect() }
        let results = daemon.shared.withLock { !$0.outbox.isEmpty }
        flushOutbox()
        send(.disconnect(Disconnect(reason: "drained after SIGTERM")))
        // A clip's result is worth waiting for; a bare DISCONNECT to an absent coordinator is not.
        socket?.close(linger: results ? configuration.drainLinger : min(configuration.drainLinger, configuration.heartbeatInterval))
        socket = nil
        logger.info("drained; leaving")
    }

    private static func fileSafe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
