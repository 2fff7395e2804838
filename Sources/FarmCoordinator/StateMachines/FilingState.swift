/// Whether the coordinator files workers' clips into the logs root, or holds them in its state
/// directory because the logs root cannot take them (a full or read-only disk: the coordinator's
/// storage fault, never the worker's). While paused, held clips are retried when `retryAt` comes,
/// and at once when a fresh clip files again (space came back).
enum FilingState: Sendable, Equatable {
    case filing
    /// Since `since` (Unix seconds), because of `reason`; the held clips are retried at `retryAt`.
    case paused(reason: String, since: Double, retryAt: Double)

    enum Event: Sendable, Equatable {
        /// The coordinator started with clips held before its restart.
        case restoredHeldClips(reason: String, now: Double)
        /// A worker's clip was filed.
        case filed(now: Double)
        /// A worker's clip hit a storage fault and was held.
        case held(reason: String, now: Double)
        /// Filing a held clip hit a storage fault again.
        case retryFailed(reason: String, now: Double)
        /// A pass over the held clips ended, with some still held or none.
        case retryPassEnded(heldLeft: Bool, now: Double)
    }

    var isPaused: Bool { self != .filing }

    func isRetryDue(now: Double) -> Bool {
        if case .paused(_, _, let retryAt) = self { return now >= retryAt }
        return false
    }

    /// Every event is allowed in every state: filing is told what happened, and pauses or resumes.
    func applying(_ event: Event, retryInterval: Double) -> FilingState {
        switch (self, event) {
        case (_, .restoredHeldClips(let reason, let now)):
            return .paused(reason: reason, since: now, retryAt: now)
        case (.filing, .filed):
            return .filing
        case (.paused(let reason, let since, _), .filed(let now)):
            return .paused(reason: reason, since: since, retryAt: now)
        case (.filing, .held(let reason, let now)):
            return .paused(reason: reason, since: now, retryAt: now + retryInterval)
        case (.paused(let reason, let since, _), .held(_, let now)):
            return .paused(reason: reason, since: since, retryAt: now + retryInterval)
        case (.filing, .retryFailed(let reason, let now)):
            return .paused(reason: reason, since: now, retryAt: now + retryInterval)
        case (.paused(_, let since, _), .retryFailed(let reason, let now)):
            return .paused(reason: reason, since: since, retryAt: now + retryInterval)
        case (_, .retryPassEnded(heldLeft: false, _)):
            return .filing
        case (.filing, .retryPassEnded(heldLeft: true, _)):
            return .filing
        case (.paused(let reason, let since, _), .retryPassEnded(heldLeft: true, let now)):
            return .paused(reason: reason, since: since, retryAt: now + retryInterval)
        }
    }
}
