import Foundation
import Synchronization

/// Where the coordinator gets the time, in seconds since 1970; tests inject a manual one.
public protocol CoordinatorClock: Sendable {
    func now() -> Double
}

public struct SystemClock: CoordinatorClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// A clock that moves only when told to, so liveness tests run instantly.
public final class ManualClock: CoordinatorClock {
    private let time: Mutex<Double>

    public init(_ start: Double = 1_000_000) { time = Mutex(start) }

    public func now() -> Double { time.withLock { $0 } }

    public func advance(by seconds: Double) { time.withLock { $0 += seconds } }
}
