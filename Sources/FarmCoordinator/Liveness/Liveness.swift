import FarmCore

/// The heartbeat contract (Paranoid Pirate): both sides beat every `interval` seconds; a peer on a
/// clean link silent for `missedBeats` intervals is lost, one whose link has shown TCP's
/// retransmission stalls is allowed up to `cappedBeats` intervals (`SilenceRule`).
public struct Liveness: Sendable, Equatable {
    public var interval: Double
    public var missedBeats: Int
    public var cappedBeats: Int

    /// `cappedBeats` defaults to `SilenceRule.defaultCappedBeats`, as the worker's own.
    public init(interval: Double = 1, missedBeats: Int = 3, cappedBeats: Int = SilenceRule.defaultCappedBeats) {
        precondition(interval > 0 && missedBeats > 0, "heartbeat interval and missed beats must be positive")
        self.interval = interval
        self.missedBeats = missedBeats
        self.cappedBeats = max(cappedBeats, missedBeats)
    }

    /// Silence longer than this makes a peer on a clean link lost.
    public var timeout: Double { interval * Double(missedBeats) }

    public var rule: SilenceRule { SilenceRule(interval: interval, missedBeats: missedBeats, cappedBeats: cappedBeats) }

    /// Silence longer than this makes a peer with these arrivals lost.
    public func allowedSilence(after arrivals: HeartbeatArrivals) -> Double { rule.allowedSilence(after: arrivals) }

    public func isLost(lastHeard: Double, arrivals: HeartbeatArrivals, now: Double) -> Bool {
        now - lastHeard > allowedSilence(after: arrivals)
    }
}

/// When the coordinator's own next heartbeat to its workers is due.
public struct HeartbeatTimer: Sendable {
    public let interval: Double
    public private(set) var nextBeat: Double

    public init(interval: Double, now: Double) {
        self.interval = interval
        self.nextBeat = now
    }

    /// True once per interval: the caller sends a beat to every live worker.
    public mutating func isDue(now: Double) -> Bool {
        guard now >= nextBeat else { return false }
        // Skip missed beats instead of bursting after a stall.
        nextBeat = max(nextBeat + interval, now)
        return true
    }

    /// Seconds until the next beat, for the poll timeout.
    public func remaining(now: Double) -> Double { max(0, nextBeat - now) }
}
