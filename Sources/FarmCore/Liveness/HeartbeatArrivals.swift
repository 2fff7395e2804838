/// When a peer's heartbeats arrived, for `SilenceRule`: the gaps between its recent ones. Only
/// heartbeats count, so a peer that also sends other messages (results, tasks) shows its link's
/// stalls, not its traffic; and a gap shorter than the interval counts as one interval: a heartbeat
/// that comes early (a worker beats at once when its state changes, and a stall ends in a burst)
/// says nothing about stalls. Only gaps the rule allowed are kept: one that outlasted the allowance
/// got the peer declared lost, and learning from it would let every partition raise the bar for the next.
public struct HeartbeatArrivals: Sendable, Equatable {
    /// Oldest first, at most the rule's window.
    public private(set) var gaps: [Double] = []
    /// When the last heartbeat arrived, in the caller's seconds; nil before the first.
    public private(set) var last: Double?

    public init() {}

    /// A heartbeat arrived at `time` (seconds on any clock that only moves forward).
    public mutating func record(at time: Double, under rule: SilenceRule) {
        defer { last = time }
        guard let last else { return }
        let gap = max(rule.interval, time - last)
        guard gap <= rule.allowedSilence(after: self) else { return }
        gaps.append(gap)
        if gaps.count > rule.window { gaps.removeFirst(gaps.count - rule.window) }
    }

    /// The peer connected again: the next heartbeat is not timed against the last one, whose gap
    /// would measure the reconnection (a backoff, a handshake), not the link. The gaps stay.
    public mutating func reconnected() { last = nil }

    /// The mean and population standard deviation of the remembered gaps; nil before the first.
    public var spread: (mean: Double, deviation: Double)? {
        guard !gaps.isEmpty else { return nil }
        let count = Double(gaps.count)
        let mean = gaps.reduce(0, +) / count
        let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
        return (mean, variance.squareRoot())
    }
}
