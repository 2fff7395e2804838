import FarmCore
import Testing

/// The adaptive failure detector: 1 s heartbeats, lost after 3 silent beats on a clean link, never
/// more than 10 however lossy the link.
struct SilenceRuleTests {
    static let rule = SilenceRule(interval: 1, missedBeats: 3, cappedBeats: 10)

    /// Gaps as `tools/netfault`'s lossy relay delivers heartbeats sent once a second: 200 ± 50 ms late,
    /// a "lost" one held 1 s (2 s more if lost again), the ones behind it arriving in a burst.
    static let lossy: [Double] = [1.0, 2.1, 0.0, 1.0, 0.9, 3.2, 0.0, 0.0, 1.1, 1.0, 2.0, 0.0, 1.0, 0.9, 1.1, 1.0]
    static let clean: [Double] = Array(repeating: [1.0, 0.98, 1.02, 1.0], count: 4).flatMap { $0 }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let gaps: [Double]
        /// The silence allowed after them.
        let allowed: ClosedRange<Double>
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no arrivals yet: the clean link's 3 beats", gaps: [], allowed: 3...3),
        Case(name: "clean link: lost after 3 beats", gaps: clean, allowed: 3...3),
        Case(name: "lossy history tolerates stalls up to the cap", gaps: lossy, allowed: 10...10),
        Case(name: "one stall allows the longer ones TCP's doubling makes next", gaps: clean + [2.2], allowed: 10...10),
        Case(name: "late beats short of a stall do not", gaps: clean.dropLast(2) + [1.3, 1.4], allowed: 3...4),
        Case(name: "the cap holds after stalls of 7 s", gaps: lossy + [7.2, 0, 0, 0, 0, 0, 0, 1, 7.2], allowed: 10...10),
        Case(name: "extra beats between the regular ones are not stalls", gaps: Array(repeating: [0.1, 0.9], count: 8).flatMap { $0 },
             allowed: 3...3),
        Case(name: "a link clean for the window is forgotten", gaps: lossy + clean, allowed: 3...3),
        Case(name: "half the window clean is still lossy", gaps: lossy + clean.prefix(8), allowed: 4...10),
        Case(name: "a healed partition is not learned", gaps: clean + [12.0], allowed: 3...3),
        Case(name: "a stall over the allowance is not learned", gaps: clean + [3.5], allowed: 3...3),
    ]

    /// Heartbeats arriving these gaps apart, after a first one at time 0.
    static func arrivals(gaps: [Double], under rule: SilenceRule) -> HeartbeatArrivals {
        var arrivals = HeartbeatArrivals()
        var time = 0.0
        arrivals.record(at: time, under: rule)
        for gap in gaps {
            time += gap
            arrivals.record(at: time, under: rule)
        }
        return arrivals
    }

    @Test(arguments: cases)
    func allowedSilence(_ example: Case) {
        let arrivals = Self.arrivals(gaps: example.gaps, under: Self.rule)
        let allowed = Self.rule.allowedSilence(after: arrivals)
        #expect(example.allowed.contains(allowed), "allowed \(allowed) s")
        #expect(arrivals.gaps.count <= Self.rule.window)
    }

    @Test func aGapAcrossAReconnectionIsNotLearned() throws {
        var arrivals = Self.arrivals(gaps: Self.clean, under: Self.rule)
        let before = arrivals.gaps
        let last = try #require(arrivals.last)
        arrivals.reconnected()
        arrivals.record(at: last + 2.3, under: Self.rule)
        #expect(arrivals.gaps == before, "the backoff and handshake are not the link's stall")
        arrivals.record(at: last + 3.3, under: Self.rule)
        #expect(arrivals.gaps == Array((before + [1]).suffix(Self.rule.window)))
        #expect(Self.rule.allowedSilence(after: arrivals) == 3)
    }

    @Test func floorAndCapFollowTheInterval() {
        let rule = SilenceRule(interval: 0.5, missedBeats: 3, cappedBeats: 10)
        #expect(rule.floor == 1.5)
        #expect(rule.cap == 5)
        let arrivals = Self.arrivals(gaps: [0.5, 1.0, 0, 0.5, 1.6, 0, 0, 0.5, 3.5], under: rule)
        #expect(rule.allowedSilence(after: arrivals) == 5)
    }
}
