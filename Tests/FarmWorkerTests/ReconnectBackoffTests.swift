import FarmWorker
import Foundation
import Testing

@Suite struct ReconnectBackoffTests {
    @Test func doublesFromOneSecondUpToThirtyTwo() {
        let backoff = ReconnectBackoff()
        #expect((0..<8).map { backoff.ceiling(attempt: $0) } == [1, 2, 4, 8, 16, 32, 32, 32].map { Duration.seconds($0) })
        #expect(backoff.ceiling(attempt: 1000) == .seconds(32))
    }

    @Test(arguments: [0.0, 0.25, 1.0])
    func jitterKeepsEachDelayBetweenHalfAndAll(_ draw: Double) {
        let backoff = ReconnectBackoff(random: { draw })
        #expect(backoff.delay(attempt: 3) == .seconds(8) * (0.5 + 0.5 * draw))
    }

    /// After a long partition the worker would wait up to 32 s; once a probe finds the port
    /// accepting, it waits at most two heartbeats, never longer than the backoff itself.
    @Test(arguments: [0.0, 1.0])
    func anAnsweringCoordinatorCapsTheWaitAtTwoSeconds(_ draw: Double) {
        let backoff = ReconnectBackoff(random: { draw })
        #expect(backoff.delayOnceAnswered(attempt: 9) == .seconds(2) * (0.5 + 0.5 * draw))
        #expect(backoff.delayOnceAnswered(attempt: 0) == .seconds(1) * (0.5 + 0.5 * draw))
    }

    @Test func defaultJitterStaysInBounds() {
        let backoff = ReconnectBackoff()
        for attempt in 0..<10 {
            let delay = backoff.delay(attempt: attempt)
            #expect(delay >= backoff.ceiling(attempt: attempt) / 2 && delay <= backoff.ceiling(attempt: attempt))
        }
    }
}
