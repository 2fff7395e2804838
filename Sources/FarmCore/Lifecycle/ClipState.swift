/// A clip's life, as the coordinator runs it, stores it and the wire reports it. `dispatched` goes
/// back to `queued` when its worker is lost (no retry used; after
/// `poison_after_lost_workers` such losses it fails as `poison` instead) or
/// when a retryable failure leaves retries; it ends `done`, `failed` or `cancelled`. `held`: the
/// worker's clip was accepted but the coordinator could not file it (a full disk, say), so it keeps
/// the clip in its state directory and files it when it can; the worker is not blamed. `farmctl
/// retry` sends a `failed` clip back to `queued`.
public enum ClipState: String, Sendable, Codable, CaseIterable {
    case queued
    /// Sent to a worker, no result yet.
    case dispatched
    /// Rendered, but the coordinator could not file it (a full disk): it keeps the clip and files
    /// it when it can. Not the worker's fault; no retry is used.
    case held
    case done
    /// Out of retries, not retryable, or poison; the clip record's `error` says why.
    case failed
    case cancelled

    public enum Event: String, Sendable, CaseIterable {
        case dispatch
        /// The worker's result was accepted and filed.
        case succeed
        /// The worker's result was accepted, but filing it failed through no fault of the worker.
        case hold
        /// An operator asked for a failed clip to be rendered again (`farmctl retry`).
        case retry
        /// The attempt failed and a retry is left.
        case failRetrying
        /// The attempt failed for good (no retry left, not retryable, or no worker may take it).
        case failFinally
        /// The worker went silent or left: back to the queue without using a retry.
        case requeue
        /// The worker was lost and so were enough before it: the clip is poison and fails.
        case poison
        case cancel
    }

    public var isTerminal: Bool { self == .done || self == .failed || self == .cancelled }

    public func applying(_ event: Event) throws(TransitionError) -> ClipState {
        switch (self, event) {
        case (.queued, .dispatch): return .dispatched
        case (.dispatched, .succeed), (.held, .succeed): return .done
        case (.dispatched, .hold): return .held
        case (.failed, .retry): return .queued
        case (.dispatched, .failRetrying), (.dispatched, .requeue): return .queued
        case (.dispatched, .failFinally), (.queued, .failFinally), (.dispatched, .poison): return .failed
        case (.queued, .cancel), (.dispatched, .cancel), (.held, .cancel): return .cancelled
        default: throw TransitionError(machine: "clip", state: rawValue, event: event.rawValue)
        }
    }
}
