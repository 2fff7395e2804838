import FarmCore
import FarmWire
import Foundation
import Logging

/// The I/O thread: the socket to the coordinator (replaced on every reconnect), the timers, and
/// the worker's lifecycle, which only `WorkerLifecycle.applying(_:)` changes.
struct WorkerIOLoop {
    let daemon: WorkerDaemon
    let context: ZMQContext
    let ready: Ready
    /// This process's DEALER identity, the same across reconnects (`WorkerIdentity.routingIdentity`).
    let routingIdentity: Data
    let render: RenderThread
    let scratch: WorkerScratch
    let clock = ContinuousClock()
    private(set) var lifecycle: WorkerLifecycle
    /// Open exactly while `lifecycle.hasSocket`.
    var socket: ZMQSocket?
    /// RESULT and FAILED messages waiting for a socket.
    var outbox: [WorkerMessage] = []
    var lastHeard: ContinuousClock.Instant
    /// The coordinator's recent heartbeats, in seconds since `started`, kept across reconnects (the
    /// link is the same).
    var arrivals = HeartbeatArrivals()
    let started: ContinuousClock.Instant
    var nextBeat: ContinuousClock.Instant
    /// Looks for the coordinator while the backoff runs; nil for endpoints it cannot probe.
    let probe: CoordinatorProbe?

    init(daemon: WorkerDaemon, context: ZMQContext, ready: Ready, render: RenderThread, scratch: WorkerScratch) {
        self.daemon = daemon
        self.scratch = scratch
        self.context = context
        self.ready = ready
        routingIdentity = WorkerIdentity.routingIdentity(workerId: ready.workerId)
        self.render = render
        let now = clock.now
        lifecycle = .start(now: now)
        started = now
        probe = CoordinatorProbe(endpoint: daemon.configuration.coordinator)
        (lastHeard, nextBeat) = (now, now + daemon.configuration.heartbeatInterval)
    }

    var configuration: WorkerConfiguration { daemon.configuration }
    var logger: Logger { daemon.logger }

    mutating func run() throws(WorkerError) -> WorkerExit {
        while true {
            try takeMailbox()
            if lifecycle.isFinishedWorking {
                try leave()
                return lifecycle.work == .abandoned ? .abandonedClip : .drained
            }
            var now = clock.now
            if case .disconnected(let retryAt, _) = lifecycle.link, now >= retryAt { try connect() }
            flushOutbox()
            now = clock.now
            if now >= nextBeat {
                beat()
                try probeCoordinator(now: now)
                nextBeat += configuration.heartbeatInterval
                // After a stall, beat on the interval from now rather than catching up in a burst.
                if nextBeat <= now { nextBeat = now + configuration.heartbeatInterval }
            }
            if let giveUpAt = socketDeadline, now >= giveUpAt {
                try reconnectLater(reason: lifecycle.link == .connected
                    ? "coordinator silent for \(allowedSilence) (the silence its link is allowed)"
                    : "no answer to READY within \(configuration.connectIntervals) heartbeat intervals")
            }
            try waitAndReceive()
        }
    }

    private var socketDeadline: ContinuousClock.Instant? {
        lifecycle.giveUpAt(lastHeard: lastHeard, silence: allowedSilence, connect: configuration.connectTimeout)
    }

    private var allowedSilence: Duration { .seconds(configuration.silenceRule.allowedSilence(after: arrivals)) }

    /// On each heartbeat tick while the backoff runs: judge the last probe, start the next. A probe
    /// that got through cuts the wait (a healed partition); one refused or unanswered changes nothing.
    /// Also while a connection's set-up has had no answer for the clean link's allowance: a probe
    /// that gets through then means the path works again and this connection is waiting out TCP's
    /// backoff of a segment lost before (up to seconds after a lossy link clears), so a fresh
    /// connection is made at once.
    private mutating func probeCoordinator(now: ContinuousClock.Instant) throws(WorkerError) {
        guard let probe else { return }
        if case .connecting(let since, _) = lifecycle.link, now - since >= .seconds(configuration.silenceRule.floor) {
            if probe.answered() {
                try reconnectNow(reason: "no answer to READY for \(now - since) while the coordinator's port "
                    + "\(probe.host):\(probe.port) takes a fresh connection")
                return
            }
            probe.start()
            return
        }
        guard case .disconnected(let retryAt, let failures) = lifecycle.link else {
            probe.cancel()
            return
        }
        if probe.answered() {
            let delay = configuration.backoff.delayOnceAnswered(attempt: failures)
            if now + delay < retryAt {
                try apply(.answered(retryAt: now + delay))
                logger.info("coordinator port \(probe.host):\(probe.port) answers again; reconnecting in \(delay)")
            }
        }
        if case .disconnected(let retryAt, _) = lifecycle.link, retryAt - now > configuration.heartbeatInterval { probe.start() }
    }

    private mutating func apply(_ event: WorkerEvent) throws(WorkerError) {
        do {
            lifecycle = try lifecycle.applying(event)
        } catch {
            throw .lifecycle(error.description)
        }
    }

    /// Takes what the other threads posted: stop requests, then finished clips.
    private mutating func takeMailbox() throws(WorkerError) {
        let (requests, finished) = daemon.shared.withLock { state in
            defer { (state.stopRequests, state.finished) = ([], []) }
            return (state.stopRequests, state.finished)
        }
        for request in requests {
            let before = lifecycle.work
            try apply(request)
            switch lifecycle.work {
            case .draining where before != lifecycle.work, .drained where before == .idle:
                logger.info("draining: finishing the current clip, taking no new ones")
            case .abandoning(let clip) where before != lifecycle.work:
                logger.warning("second stop signal: abandoning \(clip); the coordinator will requeue it")
                daemon.shared.withLock { $0.cancelled = clip }
            default:
                break
            }
        }
        for clip in finished {
            try apply(.finish(clip.clip))
            daemon.shared.withLock { if $0.cancelled == clip.clip { $0.cancelled = nil } }
            if let message = clip.message { outbox.append(message) }
        }
    }

    private mutating func connect() throws(WorkerError) {
        do {
            let dealer = try ZMQSocket(context: context, kind: .dealer)
            try dealer.setIdentity(routingIdentity)
            if let curve = configuration.curve { try dealer.useCurveClient(curve) }
            try dealer.connect(configuration.coordinator)
            socket = dealer
        } catch {
            throw .socket(error)
        }
        logger.info("connecting to \(configuration.coordinator) (attempt \(lifecycle.failures + 1))")
        try apply(.dial(at: clock.now))
        lastHeard = clock.now
        arrivals.reconnected()
        send(.ready(ready))
    }

    private mutating func reconnectLater(reason: String) throws(WorkerError) {
        socket?.close()
        socket = nil
        let delay = configuration.backoff.delay(attempt: lifecycle.failures)
        try apply(.lost(retryAt: clock.now + delay))
        logger.warning("\(reason); reconnecting in \(delay)")
    }

    /// Drops the current socket and dials again on the next turn of the loop.
    private mutating func reconnectNow(reason: String) throws(WorkerError) {
        socket?.close()
        socket = nil
        try apply(.lost(retryAt: clock.now))
        logger.warning("\(reason); reconnecting now")
    }

    /// Blocks until a message, a wake-up (finished clip, stop request) or the next timer.
    private mutating func waitAndReceive() throws(WorkerError) {
        let now = clock.now
        var deadline = nextBeat
        if case .disconnected(let retryAt, _) = lifecycle.link { deadline = min(deadline, retryAt) }
        if let giveUpAt = socketDeadline { deadline = min(deadline, giveUpAt) }
        var items: [ZMQPoller.Item] = [.descriptor(daemon.wake.readDescriptor)]
        if let socket { items.append(.socket(socket)) }
        let readable: [Bool]
        do { readable = try ZMQPoller.poll(items, timeout: max(deadline - now, .zero)) } catch { throw .socket(error) }
        if readable[0] { daemon.wake.drain() }
        guard readable.count > 1, readable[1] else { return }
        while let socket, let frames = receive(socket) {
            lastHeard = clock.now
            try apply(.heard)
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
            try accept(task, rollout: rollout)
        case .heartbeat:
            arrivals.record(at: (clock.now - started).seconds, under: configuration.silenceRule)
        case .cancel(let cancel):
            let target = ClipRef(jobId: cancel.jobId, clipId: cancel.clipId, attempt: cancel.attempt)
            let matched = lifecycle.clipInHand == target
            if matched { daemon.shared.withLock { $0.cancelled = target } }
            logger.info("CANCEL \(target): \(matched ? "abandoning it" : "not rendering it; ignored")")
        case .disconnect(let disconnect):
            try reconnectLater(reason: "coordinator sent DISCONNECT (\(disconnect.reason))")
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
    private func refuse(_ frames: [Data], _ error: ProtocolError) {
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

    private mutating func accept(_ task: TaskAssignment, rollout: RolloutSlice) throws(WorkerError) {
        if let refusal = lifecycle.refusal {
            send(daemon.failure(task, refusal, retryable: true))
            return
        }
        let resolution: BackendResolution
        do {
            resolution = try TaskBackend.resolve(task.backendInputs, catalog: configuration.presets, served: ready.backends)
        } catch {
            send(daemon.failure(task, error.message, retryable: error.retryable))
            return
        }
        let request: ClipRenderRequest
        do {
            request = try task.renderRequest(backend: resolution.backend)
        } catch {
            send(daemon.failure(task, "task refused: \(error)", retryable: false))
            return
        }
        for warning in resolution.warnings { logger.warning("\(warning)") }
        let clip = ClipRef(jobId: task.jobId, clipId: task.clipId, attempt: task.attempt)
        let output = scratch.clipPath(jobId: task.jobId, clipId: task.clipId, attempt: task.attempt)
        try apply(.accept(clip))
        daemon.shared.withLock { $0.progress = ClipProgress(framesDone: 0, framesTotal: task.steps.count, fps: 0) }
        logger.info("TASK clip \(task.clipId) (\(task.clipFile)) of job \(task.jobId), attempt \(task.attempt): \(task.steps.count) frames, \(resolution.backend.rawValue)")
        render.submit(RenderJob(clip: clip, task: task, request: request,
                                rollout: rollout.rollout, outputPath: output))
        beat()
    }

    private mutating func flushOutbox() {
        guard socket != nil else { return }
        for message in outbox { send(message) }
        outbox.removeAll()
    }

    private func send(_ message: WorkerMessage) {
        guard let socket else { return }
        do {
            try socket.send(message.frames)
        } catch {
            logger.error("could not send \(message.command.rawValue): \(error)")
        }
    }

    /// What a heartbeat says about the work phase.
    private var reportedState: HeartbeatState {
        switch lifecycle.work {
        case .idle: .idle
        case .rendering: .rendering
        case .draining, .abandoning, .drained, .abandoned: .draining
        }
    }

    /// HEARTBEAT to the coordinator (when connected), one JSON line on stdout, the health file.
    private func beat() {
        let rss = ProcessMemory.residentBytes()
        let progress = daemon.shared.withLock { $0.progress }
        let heartbeat: WorkerHeartbeat
        if let clip = lifecycle.clipInHand, let progress {
            heartbeat = WorkerHeartbeat(state: reportedState, jobId: clip.jobId, clipId: clip.clipId,
                                        attempt: clip.attempt, framesDone: progress.framesDone,
                                        framesTotal: progress.framesTotal,
                                        fps: progress.fps.isFinite ? progress.fps : 0, rssBytes: rss)
        } else {
            heartbeat = WorkerHeartbeat(state: reportedState, rssBytes: rss)
        }
        send(.heartbeat(heartbeat))
        let now = Date().timeIntervalSince1970
        if configuration.printHeartbeats {
            // One unbuffered write per line, so lines never interleave with log output.
            FileHandle.standardOutput.write(Data((HeartbeatRecord(timestamp: now, ready: ready, beat: heartbeat).jsonLine() + "\n").utf8))
        }
        if let path = configuration.healthFile {
            let health = WorkerHealth(time: now, worker: ready.workerId, state: heartbeat.state,
                                      connected: lifecycle.link == .connected, coordinator: configuration.coordinator)
            do {
                try (WireJSON.encode(health) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                logger.error("cannot write health file \(path): \(error.localizedDescription)")
            }
        }
    }

    /// Nothing in hand: make sure queued results and DISCONNECT go out (reconnecting once if need
    /// be), then close with a linger so they are delivered.
    private mutating func leave() throws(WorkerError) {
        if !lifecycle.hasSocket { try connect() }
        try apply(.leave)
        let results = !outbox.isEmpty
        flushOutbox()
        let reason = lifecycle.work == .abandoned ? "abandoned its clip after a second signal" : "drained after SIGTERM"
        send(.disconnect(Disconnect(reason: reason)))
        // A clip's result is worth waiting for; a bare DISCONNECT to an absent coordinator is not.
        socket?.close(linger: results ? configuration.drainLinger : min(configuration.drainLinger, configuration.heartbeatInterval))
        socket = nil
        logger.info("\(lifecycle.work == .abandoned ? "abandoned a clip" : "drained"); leaving")
    }
}
