/// A job's life, as the coordinator runs it, stores it and the wire reports it: queued until its
/// first clip is dispatched, running until every clip is settled.
/// A failed job goes back to queued when an operator retries its failed clips (`farmctl retry`).
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued
    case running
    case completed
    case failed
    case cancelled

    public enum Event: String, Sendable, CaseIterable {
        /// A clip of the job went to a worker.
        case dispatched
        /// Every clip is done.
        case allClipsDone
        /// Every clip is settled and at least one failed.
        case settledWithFailures
        case cancel
        /// An operator sent the failed clips back to the queue.
        case retry
    }

    public var isTerminal: Bool { self == .completed || self == .failed || self == .cancelled }

    public func applying(_ event: Event) throws(TransitionError) -> JobState {
        switch (self, event) {
        case (.queued, .dispatched), (.running, .dispatched): return .running
        case (.queued, .allClipsDone), (.running, .allClipsDone): return .completed
        case (.queued, .settledWithFailures), (.running, .settledWithFailures): return .failed
        case (.queued, .cancel), (.running, .cancel): return .cancelled
        case (.failed, .retry): return .queued
        default: throw TransitionError(machine: "job", state: rawValue, event: event.rawValue)
        }
    }
}
