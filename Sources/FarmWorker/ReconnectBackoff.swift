/// How long a worker waits before reconnecting: `initial` doubling per failed attempt up to
/// `maximum`, each delay jittered to a random 50–100 % of itself so a farm restarting at once does
/// not stampede its coordinator.
public struct ReconnectBackoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    /// A uniform draw in 0...1; injectable so tests are deterministic.
    public var random: @Sendable () -> Double

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(32),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.initial = initial
        self.maximum = maximum
        self.random = random
    }

    /// The undithered delay before reconnect attempt `attempt` (0-based).
    public func ceiling(attempt: Int) -> Duration {
        var delay = initial
        for _ in 0..<min(attempt, 62) where delay < maximum { delay *= 2 }
        return min(delay, maximum)
    }

    public func delay(attempt: Int) -> Duration {
        ceiling(attempt: attempt) * (0.5 + 0.5 * min(max(random(), 0), 1))
    }
}
