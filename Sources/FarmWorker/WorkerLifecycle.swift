/// One attempt at one clip, as the coordinator named it in TASK.
struct ClipRef: Sendable, Hashable, CustomStringConvertible {
    let jobId: String
    let clipId: Int
    let attempt: Int

    var description: String { "clip \(clipId) of job \(jobId) (attempt \(attempt))" }
}

/// The worker's link to the coordinator. `connecting`: a socket was opened at `since` and READY
/// sent, but the coordinator has said nothing yet (set-up takes several round trips, so it gets the
/// longer connect allowance); `connected`: it has answered on this socket (silence past the liveness
/// timeout loses it); `leaving`: the last results and DISCONNECT are going out. `failures` counts
/// reconnects since the coordinator last answered, and sets the next backoff.
enum WorkerLink: Sendable, Hashable {
    case disconnected(retryAt: ContinuousClock.Instant, failures: Int)
    case connecting(since: ContinuousClock.Instant, failures: Int)
    case connected
    case leaving
}

/// What the worker is doing with clips. `draining` finishes its clip and takes no new one (first
/// SIGTERM); `abandoning` has cancelled its clip and waits for the render thread to let go of it
/// (second SIGTERM). `drained` and `abandoned` have nothing in hand: the worker leaves, exiting 0
/// or `WorkerExit.abandonedClip` respectively.
enum WorkPhase: Sendable, Hashable {
    case idle
    case rendering(ClipRef)
    case draining(ClipRef)
    case abandoning(ClipRef)
    case drained
    case abandoned
}

/// What moves the worker's lifecycle.
enum WorkerEvent: Sendable, Hashable {
    /// The reconnect timer fired and a socket was opened (READY sent) at `at`.
    case dial(at: ContinuousClock.Instant)
    /// The coordinator said something on the current socket.
    case heard
    /// The coordinator fell silent, never answered the set-up, or sent DISCONNECT: close the socket
    /// and retry at `retryAt`.
    case lost(retryAt: ContinuousClock.Instant)
    /// While waiting out the backoff, a probe reached the coordinator's port: retry no later than
    /// `retryAt` (a partition healed; the backoff no longer has a reason to run long).
    case answered(retryAt: ContinuousClock.Instant)
    /// Nothing left in hand after a drain: send what is queued and DISCONNECT.
    case leave
    case accept(ClipRef)
    /// The render thread handed the clip back (result, failure or cancellation).
    case finish(ClipRef)
    /// First SIGTERM/SIGINT (or `requestDrain()`).
    case drain
    /// Second SIGTERM/SIGINT: cancel the clip in hand.
    case abandon
}

/// A pair the lifecycle does not allow; a bug in the I/O loop, never the coordinator's doing.
struct LifecycleError: Error, Hashable, CustomStringConvertible {
    let state: WorkerLifecycle
    let event: WorkerEvent

    var description: String { "worker lifecycle \(state.link), \(state.work) cannot take \(event)" }
}

/// The worker's whole state as the I/O loop sees it, moved only by `applying(_:)`.
struct WorkerLifecycle: Sendable, Hashable {
    var link: WorkerLink
    var work: WorkPhase

    static func start(now: ContinuousClock.Instant) -> WorkerLifecycle {
        WorkerLifecycle(link: .disconnected(retryAt: now, failures: 0), work: .idle)
    }

    /// The clip the render thread holds, if any.
    var clipInHand: ClipRef? {
        switch work {
        case .rendering(let clip), .draining(let clip), .abandoning(let clip): clip
        case .idle, .drained, .abandoned: nil
        }
    }

    /// True once nothing is in hand and no more will be taken: time to leave.
    var isFinishedWorking: Bool { work == .drained || work == .abandoned }

    /// True while a socket is open to the coordinator.
    var hasSocket: Bool {
        switch link {
        case .connecting, .connected, .leaving: true
        case .disconnected: false
        }
    }

    /// Reconnects since the coordinator last answered (0 when connected or leaving).
    var failures: Int {
        switch link {
        case .disconnected(_, let failures), .connecting(_, let failures): failures
        case .connected, .leaving: 0
        }
    }

    /// The one transition function. Link events leave the work phase alone and work events the link.
    func applying(_ event: WorkerEvent) throws(LifecycleError) -> WorkerLifecycle {
        var next = self
        switch (link, work, event) {
        case (.disconnected(_, let failures), _, .dial(let at)):
            next.link = .connecting(since: at, failures: failures)
        case (.disconnected(let retryAt, let failures), _, .answered(let sooner)):
            next.link = .disconnected(retryAt: min(retryAt, sooner), failures: failures)
        case (.connecting, _, .answered), (.connected, _, .answered), (.leaving, _, .answered):
            break
        case (.connecting, _, .heard), (.connected, _, .heard):
            next.link = .connected
        case (.leaving, _, .heard):
            break
        case (.connecting(_, let failures), _, .lost(let retryAt)):
            next.link = .disconnected(retryAt: retryAt, failures: failures + 1)
        case (.connected, _, .lost(let retryAt)):
            next.link = .disconnected(retryAt: retryAt, failures: 1)
        case (.disconnected, .drained, .leave), (.connecting, .drained, .leave), (.connected, .drained, .leave),
             (.disconnected, .abandoned, .leave), (.connecting, .abandoned, .leave), (.connected, .abandoned, .leave):
            next.link = .leaving
        case (.disconnected, .idle, .accept(let clip)), (.connecting, .idle, .accept(let clip)),
             (.connected, .idle, .accept(let clip)):
            next.work = .rendering(clip)
        case (_, .rendering(let held), .finish(let clip)) where held == clip:
            next.work = .idle
        case (_, .draining(let held), .finish(let clip)) where held == clip:
            next.work = .drained
        case (_, .abandoning(let held), .finish(let clip)) where held == clip:
            next.work = .abandoned
        case (_, .idle, .drain), (_, .idle, .abandon):
            next.work = .drained
        case (_, .rendering(let clip), .drain):
            next.work = .draining(clip)
        case (_, .rendering(let clip), .abandon), (_, .draining(let clip), .abandon):
            next.work = .abandoning(clip)
        case (_, .draining, .drain), (_, .abandoning, .drain), (_, .abandoning, .abandon),
             (_, .drained, .drain), (_, .drained, .abandon), (_, .abandoned, .drain), (_, .abandoned, .abandon):
            break
        default:
            throw LifecycleError(state: self, event: event)
        }
        return next
    }

    /// When the current socket is given up if the coordinator stays silent: a connecting one
    /// `connect` after it was opened, a connected one `silence` after it last heard; nil without one
    /// (a leaving worker's socket closes with its linger instead).
    func giveUpAt(lastHeard: ContinuousClock.Instant, silence: Duration, connect: Duration) -> ContinuousClock.Instant? {
        switch link {
        case .connecting(let since, _): since + connect
        case .connected: lastHeard + silence
        case .disconnected, .leaving: nil
        }
    }

    /// Why a TASK cannot be taken now, or nil when it can.
    var refusal: String? {
        switch work {
        case .idle: nil
        case .rendering(let clip): "worker is busy with \(clip)"
        case .draining, .abandoning, .drained, .abandoned: "worker is draining (SIGTERM)"
        }
    }
}
