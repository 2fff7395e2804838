/// The heartbeat contract (Paranoid Pirate): both sides beat every `interval` seconds and a peer
/// silent for `missedBeats` intervals is lost.
public struct Liveness: Sendable, Equatable {
    public var interval: Double
    public var missedBeats: Int

    public init(interval: Double = 1, missedBeats: Int = 3) {
        precondition(interval > 0 && missedBeats > 0, "heartbeat interval and missed beats must be positive")
        self.interval = interval
        self.missedBeats = missedBeats
    }

    /// Silence longer than this makes a peer lost.
    public var timeout: Double { interval * Double(missedBeats) }

    public func isLost(lastHeard: Double, now: Double) -> Bool { now - lastHeard > timeout }
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
