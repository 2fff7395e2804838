/// How long a worker waits before reconnecting: `initial` doubling per failed attempt up to
/// `maximum`, each delay jittered to a random 50–100 % of itself so a farm restarting at once does
/// not stampede its coordinator. Once a probe finds the coordinator's port accepting again (a healed
/// partition), the wait is cut to at most `answered`, so a healed worker is back within a couple of
/// heartbeats rather than after up to `maximum` of an idle GPU.
public struct ReconnectBackoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var answered: Duration
    /// A uniform draw in 0...1; injectable so tests are deterministic.
    public var random: @Sendable () -> Double

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(32), answered: Duration = .seconds(2),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.initial = initial
        self.maximum = maximum
        self.answered = answered
        self.random = random
    }

    /// The undithered delay before reconnect attempt `attempt` (0-based).
    public func ceiling(attempt: Int) -> Duration {
        var delay = initial
        for _ in 0..<min(attempt, 62) where delay < maximum { delay *= 2 }
        return min(delay, maximum)
    }

    public func delay(attempt: Int) -> Duration {
        jittered(ceiling(attempt: attempt))
    }

    /// The delay once the coordinator is known to answer: never longer than `answered`.
    public func delayOnceAnswered(attempt: Int) -> Duration {
        jittered(min(ceiling(attempt: attempt), answered))
    }

    private func jittered(_ ceiling: Duration) -> Duration {
        ceiling * (0.5 + 0.5 * min(max(random(), 0), 1))
    }
}
