/// How long a peer may stay silent before it is lost, adapted to the gaps between its recent
/// arrivals (issue 19). TCP turns packet loss into stalls of 1 s, then 2 s, 4 s… (its retransmission
/// timeout doubles), so a lossy link that TCP survives shows long gaps that end with the heartbeat
/// arriving; a partition shows one gap that never ends. The allowance is the mean gap plus
/// `deviations` standard deviations plus one `interval`, never less than `missedBeats` intervals (so
/// a clean link is still given up in about 3 s) and never more than `cappedBeats` intervals (so a
/// dead peer is always caught).
public struct SilenceRule: Sendable, Equatable {
    /// The heartbeat interval both sides keep, in seconds.
    public var interval: Double
    /// The least silence allowed, in intervals: all a peer gets on a clean link.
    public var missedBeats: Int
    /// The most silence allowed, in intervals, however lossy the peer's link has been.
    public var cappedBeats: Int
    /// How many recent gaps are remembered: a link clean for this many beats is judged clean again.
    public var window: Int
    /// Standard deviations of the remembered gaps allowed beyond their mean.
    public var deviations: Double

    /// Defaults: 16 gaps and 10 deviations, chosen against `tools/netfault`'s lossy link
    /// (docs/COORDINATOR.md, "Network faults").
    public init(interval: Double, missedBeats: Int, cappedBeats: Int, window: Int = 16, deviations: Double = 10) {
        precondition(interval > 0 && missedBeats > 0, "heartbeat interval and missed beats must be positive")
        precondition(cappedBeats >= missedBeats, "the cap (\(cappedBeats) beats) must be at least \(missedBeats) beats")
        precondition(window > 0 && deviations >= 0, "the window must be positive and the deviations not negative")
        self.interval = interval
        self.missedBeats = missedBeats
        self.cappedBeats = cappedBeats
        self.window = window
        self.deviations = deviations
    }

    /// The silence allowed on a clean link.
    public var floor: Double { interval * Double(missedBeats) }

    /// The silence allowed however lossy the link.
    public var cap: Double { interval * Double(cappedBeats) }

    /// Silence longer than this after the last arrival makes the peer lost.
    public func allowedSilence(after arrivals: HeartbeatArrivals) -> Double {
        guard let spread = arrivals.spread else { return floor }
        return min(cap, max(floor, spread.mean + deviations * spread.deviation + interval))
    }
}
