/// The gaps between a peer's recent arrivals (any message counts), for `SilenceRule`. Only gaps the
/// rule allowed are kept: one that outlasted the allowance got the peer declared lost, and learning
/// from it would let every partition raise the bar for the next.
public struct HeartbeatArrivals: Sendable, Equatable {
    /// Oldest first, at most the rule's window.
    public private(set) var gaps: [Double] = []

    public init() {}

    /// Records an arrival `gap` seconds after the previous one.
    public mutating func record(gap: Double, under rule: SilenceRule) {
        guard gap <= rule.allowedSilence(after: self) else { return }
        gaps.append(max(0, gap))
        if gaps.count > rule.window { gaps.removeFirst(gaps.count - rule.window) }
    }

    /// The mean and population standard deviation of the remembered gaps; nil before the first.
    public var spread: (mean: Double, deviation: Double)? {
        guard !gaps.isEmpty else { return nil }
        let count = Double(gaps.count)
        let mean = gaps.reduce(0, +) / count
        let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
        return (mean, variance.squareRoot())
    }
}
