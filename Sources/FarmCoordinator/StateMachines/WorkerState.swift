/// A worker as the coordinator sees it. `connecting`: known (from the store after a restart) but
/// not heard from yet; `draining`: finishing its clip after SIGTERM, taking no new ones; `lost`:
/// silent for too long, may come back with READY; `gone`: said goodbye.
public enum WorkerState: String, Sendable, Codable, CaseIterable {
    case connecting
    case idle
    case rendering
    case draining
    case lost
    case gone

    public enum Event: String, Sendable, CaseIterable {
        /// READY (first contact or reconnection) with no clip in hand.
        case ready
        /// READY or a heartbeat from a restored worker that still holds its dispatched clip.
        case resume
        case dispatch
        /// The clip ended: result, failure or cancellation.
        case finishClip
        /// The worker reports it is shutting down.
        case drain
        case silence
        case leave
    }

    /// Lost and gone workers get no clips and do not count as part of the farm.
    public var isLive: Bool { self == .idle || self == .rendering || self == .connecting || self == .draining }

    public func applying(_ event: Event) throws(TransitionError) -> WorkerState {
        switch (self, event) {
        case (.connecting, .ready), (.idle, .ready), (.lost, .ready), (.gone, .ready), (.rendering, .ready),
             (.draining, .ready):
            // A READY from a rendering worker means it restarted: whatever it held is abandoned.
            return .idle
        case (.connecting, .resume), (.rendering, .resume): return .rendering
        case (.idle, .dispatch): return .rendering
        case (.rendering, .finishClip): return .idle
        case (.draining, .finishClip): return .draining
        case (.connecting, .drain), (.idle, .drain), (.rendering, .drain), (.draining, .drain): return .draining
        case (.connecting, .silence), (.idle, .silence), (.rendering, .silence), (.draining, .silence): return .lost
        case (.connecting, .leave), (.idle, .leave), (.rendering, .leave), (.draining, .leave), (.lost, .leave):
            return .gone
        default: throw TransitionError(machine: "worker", state: rawValue, event: event.rawValue)
        }
    }
}
