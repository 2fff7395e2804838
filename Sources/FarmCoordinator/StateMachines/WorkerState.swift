import FarmCore

/// A worker as the coordinator sees it, with what each state needs and nothing it cannot have: a
/// rendering worker always has its clip, an idle one never does.
/// - `connecting`: restored from the store after a restart, with the clip dispatched to it, and not
///   heard from yet;
/// - `idle`: `abandoning` while it was told to drop a clip, or came back from `lost` or `gone`, and has
///   not yet reported itself free (it gets no TASK until then, so a TASK never meets a worker still
///   busy with an old clip);
/// - `rendering`: its clip and attempt;
/// - `draining`: finishing its clip, if any, after SIGTERM, taking no new ones;
/// - `lost`: silent for too long, may come back with READY; `gone`: said goodbye.
public enum WorkerState: Sendable, Hashable {
    case connecting(Assignment)
    case idle(abandoning: Bool)
    case rendering(Assignment)
    case draining(Assignment?)
    case lost
    case gone

    public enum Event: Sendable, Hashable {
        /// READY (first contact or reconnection); a worker that held a clip has abandoned it.
        case ready
        /// A restored worker's heartbeat says it still renders its dispatched clip.
        case resume
        case dispatch(Assignment)
        /// The clip ended with a result or a failure, or went back to the queue.
        case finishClip
        /// The coordinator told the worker to drop its clip (its job was cancelled).
        case abandonClip
        /// A heartbeat says the worker holds no clip.
        case reportFree
        /// The worker reports it is shutting down.
        case drain
        case silence
        case leave

        public var name: String {
            switch self {
            case .ready: "ready"
            case .resume: "resume"
            case .dispatch: "dispatch"
            case .finishClip: "finishClip"
            case .abandonClip: "abandonClip"
            case .reportFree: "reportFree"
            case .drain: "drain"
            case .silence: "silence"
            case .leave: "leave"
            }
        }
    }

    public var phase: WorkerPhase {
        switch self {
        case .connecting: .connecting
        case .idle: .idle
        case .rendering: .rendering
        case .draining: .draining
        case .lost: .lost
        case .gone: .gone
        }
    }

    /// The clip the coordinator expects from this worker.
    public var assignment: Assignment? {
        switch self {
        case .connecting(let assignment), .rendering(let assignment): assignment
        case .draining(let assignment): assignment
        case .idle, .lost, .gone: nil
        }
    }

    /// Lost and gone workers get no clips and do not count as part of the farm.
    public var isLive: Bool {
        switch self {
        case .connecting, .idle, .rendering, .draining: true
        case .lost, .gone: false
        }
    }

    /// Free for a new clip.
    public var takesClips: Bool { self == .idle(abandoning: false) }

    public func applying(_ event: Event) throws(TransitionError) -> WorkerState {
        switch (self, event) {
        case (.connecting, .ready), (.idle, .ready), (.rendering, .ready), (.draining, .ready):
            // A READY from a rendering or draining worker means it restarted: whatever it held is abandoned.
            return .idle(abandoning: false)
        case (.lost, .ready), (.gone, .ready):
            // A worker back after a partition may still be rendering: no TASK until a heartbeat says
            // what it holds (docs/COORDINATOR.md, the restart rule).
            return .idle(abandoning: true)
        case (.connecting(let assignment), .resume), (.rendering(let assignment), .resume):
            return .rendering(assignment.confirmed)
        case (.idle(abandoning: false), .dispatch(let assignment)): return .rendering(assignment)
        case (.connecting, .finishClip), (.rendering, .finishClip): return .idle(abandoning: false)
        case (.connecting, .abandonClip), (.rendering, .abandonClip): return .idle(abandoning: true)
        case (.draining(.some), .finishClip), (.draining(.some), .abandonClip): return .draining(nil)
        case (.idle, .reportFree): return .idle(abandoning: false)
        case (.connecting(let assignment), .drain), (.rendering(let assignment), .drain): return .draining(assignment)
        case (.idle, .drain): return .draining(nil)
        case (.draining, .drain): return self
        case (.connecting, .silence), (.idle, .silence), (.rendering, .silence), (.draining, .silence): return .lost
        case (.connecting, .leave), (.idle, .leave), (.rendering, .leave), (.draining, .leave), (.lost, .leave):
            return .gone
        default: throw TransitionError(machine: "worker", state: description, event: event.name)
        }
    }

    /// The same state with its clip's mismatch clock set or cleared (no change of state).
    func withAssignment(_ update: (inout Assignment) -> Void) -> WorkerState {
        switch self {
        case .connecting(var assignment):
            update(&assignment)
            return .connecting(assignment)
        case .rendering(var assignment):
            update(&assignment)
            return .rendering(assignment)
        case .draining(.some(var assignment)):
            update(&assignment)
            return .draining(assignment)
        case .idle, .draining(nil), .lost, .gone:
            return self
        }
    }
}

extension WorkerState: CustomStringConvertible {
    public var description: String {
        switch self {
        case .idle(abandoning: true): "idle (abandoning)"
        case .draining(nil): "draining (no clip)"
        default: phase.rawValue
        }
    }
}

/// The clip and attempt dispatched to a worker.
public struct Assignment: Sendable, Hashable {
    public var clip: ClipKey
    public var attempt: Int
    /// Since when the worker's heartbeats say it is not rendering this clip: a TASK still in flight,
    /// or one that never arrived (taken back after the liveness timeout).
    public var missingSince: Double?

    public init(clip: ClipKey, attempt: Int, missingSince: Double? = nil) {
        self.clip = clip
        self.attempt = attempt
        self.missingSince = missingSince
    }

    /// Whether a heartbeat's clip and attempt are this one.
    public func matches(_ holding: (clip: ClipKey, attempt: Int)) -> Bool {
        holding.clip == clip && holding.attempt == attempt
    }

    var confirmed: Assignment { Assignment(clip: clip, attempt: attempt) }
}
