import Testing
@testable import FarmCoordinator

/// Every (state, event) pair of the filing pause: the table says where each goes. Retry interval
/// 30 s; events happen at t = 100.
struct FilingStateTests {
    static let paused = FilingState.paused(reason: "filing paused: disk full", since: 50, retryAt: 80)
    static let states: [FilingState] = [.filing, paused]
    static let events: [FilingState.Event] = [
        .restoredHeldClips(reason: "held before", now: 100), .filed(now: 100), .held(reason: "filing paused: read-only", now: 100),
        .retryFailed(reason: "filing paused: still full", now: 100), .retryPassEnded(heldLeft: true, now: 100),
        .retryPassEnded(heldLeft: false, now: 100),
    ]
    static let table: [(FilingState, FilingState.Event, FilingState)] = [
        (.filing, events[0], .paused(reason: "held before", since: 100, retryAt: 100)),
        (.filing, events[1], .filing),
        (.filing, events[2], .paused(reason: "filing paused: read-only", since: 100, retryAt: 130)),
        (.filing, events[3], .paused(reason: "filing paused: still full", since: 100, retryAt: 130)),
        (.filing, events[4], .filing),
        (.filing, events[5], .filing),
        (paused, events[0], .paused(reason: "held before", since: 100, retryAt: 100)),
        // A fresh clip filed: space came back, so the held ones are retried at once.
        (paused, events[1], .paused(reason: "filing paused: disk full", since: 50, retryAt: 100)),
        // The first fault's reason and start stand; the retry moves out.
        (paused, events[2], .paused(reason: "filing paused: disk full", since: 50, retryAt: 130)),
        (paused, events[3], .paused(reason: "filing paused: still full", since: 50, retryAt: 130)),
        (paused, events[4], .paused(reason: "filing paused: disk full", since: 50, retryAt: 130)),
        (paused, events[5], .filing),
    ]

    @Test func everyPairGoesWhereTheTableSays() {
        #expect(Self.table.count == Self.states.count * Self.events.count)
        for state in Self.states {
            for event in Self.events {
                let expected = Self.table.first { $0.0 == state && $0.1 == event }?.2
                #expect(state.applying(event, retryInterval: 30) == expected, "\(state) + \(event)")
            }
        }
    }

    @Test func aRetryIsDueOnlyWhilePausedAndOnlyFromItsTime() {
        #expect(!FilingState.filing.isRetryDue(now: 1e12))
        #expect(!Self.paused.isRetryDue(now: 79.9))
        #expect(Self.paused.isRetryDue(now: 80))
    }
}
