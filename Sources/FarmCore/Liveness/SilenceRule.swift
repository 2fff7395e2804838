/// How long a peer may stay silent before it is lost, adapted to the gaps between its recent
/// arrivals (issue 19). TCP turns packet loss into stalls of 1 s, then 2 s, 4 s… (its retransmission
/// timeout doubles), so a lossy link that TCP survives shows long gaps that end with the heartbeat
/// arriving; a partition shows one gap that never ends. The allowance is the mean gap plus
/// `deviations` standard deviations plus one `interval`, never less than `missedBeats` intervals (so
/// a clean link is still given up in about 3 s) and never more than `cappedBeats` intervals (so a
/// dead peer is always caught); the cap itself once the link has shown a retransmission stall.
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

    /// A remembered gap this many intervals long is a retransmission stall: a heartbeat held back a
    /// whole timeout (jitter and early beats stay well under it).
    public static let stallBeats = 1.5
    /// The default cap, in intervals: stalls through four losses of one segment in a row (1 + 2 + 4
    /// + 8 s with TCP's 1 s timeout, plus the beat's own interval) pass on a lossy link.
    public static let defaultCappedBeats = 20

    /// Silence longer than this after the last arrival makes the peer lost. TCP doubles its
    /// retransmission timeout with each loss of one segment (stalls of 1, 3, 7, 15 s), so a link that
    /// has stalled once may next stall several times as long; judged by the mean and deviation of
    /// its gaps it would be given up at the first longer stall, which on a link with 30 % loss comes
    /// within seconds (`tools/netfault`). So a link whose remembered gaps hold a stall is allowed the
    /// cap; one without is allowed the floor, or more when its gaps vary widely.
    public func allowedSilence(after arrivals: HeartbeatArrivals) -> Double {
        guard let spread = arrivals.spread else { return floor }
        if let longest = arrivals.gaps.max(), longest >= Self.stallBeats * interval { return cap }
        return min(cap, max(floor, spread.mean + deviations * spread.deviation + interval))
    }
}
