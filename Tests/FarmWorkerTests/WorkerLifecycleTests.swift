@testable import FarmWorker
import Testing

/// Every (link, work, event) triple: the allowed ones go where the tables say, all others are
/// refused. Link events move only the link, work events only the work phase, except `leave`,
/// which needs nothing in hand.
struct WorkerLifecycleTests {
    static let t0 = ContinuousClock.now
    static let retry = t0 + .seconds(4)
    static let sooner = t0 - .seconds(1)
    static let later = t0 + .seconds(9)
    static let clip = ClipRef(jobId: "7", clipId: 2, attempt: 1)
    static let other = ClipRef(jobId: "7", clipId: 3, attempt: 1)

    static let links: [WorkerLink] = [.disconnected(retryAt: t0, failures: 2), .connecting(since: t0, failures: 2), .connected, .leaving]
    static let phases: [WorkPhase] = [.idle, .rendering(clip), .draining(clip), .abandoning(clip), .drained, .abandoned]
    static let linkEvents: [WorkerEvent] = [.dial(at: retry), .heard, .lost(retryAt: retry), .answered(retryAt: sooner), .answered(retryAt: later)]
    static let workEvents: [WorkerEvent] = [.accept(clip), .finish(clip), .finish(other), .drain, .abandon]

    /// Where each link event takes each link, whatever the work phase.
    static let linkTable: [WorkerLink: [WorkerEvent: WorkerLink]] = [
        .disconnected(retryAt: t0, failures: 2): [
            .dial(at: retry): .connecting(since: retry, failures: 2),
            // An answering probe only ever brings the retry closer.
            .answered(retryAt: sooner): .disconnected(retryAt: sooner, failures: 2),
            .answered(retryAt: later): .disconnected(retryAt: t0, failures: 2),
        ],
        .connecting(since: t0, failures: 2): [
            .heard: .connected, .lost(retryAt: retry): .disconnected(retryAt: retry, failures: 3),
            .answered(retryAt: sooner): .connecting(since: t0, failures: 2),
            .answered(retryAt: later): .connecting(since: t0, failures: 2),
        ],
        .connected: [
            .heard: .connected, .lost(retryAt: retry): .disconnected(retryAt: retry, failures: 1),
            .answered(retryAt: sooner): .connected, .answered(retryAt: later): .connected,
        ],
        .leaving: [.heard: .leaving, .answered(retryAt: sooner): .leaving, .answered(retryAt: later): .leaving],
    ]

    /// Where each work event takes each phase, whatever the link (except `accept` while leaving).
    static let workTable: [WorkPhase: [WorkerEvent: WorkPhase]] = [
        .idle: [.accept(clip): .rendering(clip), .drain: .drained, .abandon: .drained],
        .rendering(clip): [.finish(clip): .idle, .drain: .draining(clip), .abandon: .abandoning(clip)],
        .draining(clip): [.finish(clip): .drained, .drain: .draining(clip), .abandon: .abandoning(clip)],
        .abandoning(clip): [.finish(clip): .abandoned, .drain: .abandoning(clip), .abandon: .abandoning(clip)],
        .drained: [.drain: .drained, .abandon: .drained],
        .abandoned: [.drain: .abandoned, .abandon: .abandoned],
    ]

    @Test(arguments: links)
    func linkEventsMoveOnlyTheLink(link: WorkerLink) {
        for work in Self.phases {
            for event in Self.linkEvents {
                let expected = Self.linkTable[link]?[event].map { WorkerLifecycle(link: $0, work: work) }
                let actual = try? WorkerLifecycle(link: link, work: work).applying(event)
                #expect(actual == expected, "\(link), \(work) + \(event)")
            }
        }
    }

    @Test(arguments: phases)
    func workEventsMoveOnlyTheWorkPhase(work: WorkPhase) {
        for link in Self.links {
            for event in Self.workEvents {
                var expected = Self.workTable[work]?[event].map { WorkerLifecycle(link: link, work: $0) }
                // A leaving worker has sent DISCONNECT: it takes no clip.
                if case .accept = event, link == .leaving { expected = nil }
                let actual = try? WorkerLifecycle(link: link, work: work).applying(event)
                #expect(actual == expected, "\(link), \(work) + \(event)")
            }
        }
    }

    @Test(arguments: phases)
    func leaveNeedsNothingInHandAndASocketOrATimer(work: WorkPhase) {
        for link in Self.links {
            let finished = work == .drained || work == .abandoned
            let expected = finished && link != .leaving ? WorkerLifecycle(link: .leaving, work: work) : nil
            #expect((try? WorkerLifecycle(link: link, work: work).applying(.leave)) == expected, "\(link), \(work) + leave")
        }
    }

    @Test func derivedViewsAgreeWithTheState() {
        for link in Self.links {
            for work in Self.phases {
                let state = WorkerLifecycle(link: link, work: work)
                #expect(state.isFinishedWorking == (work == .drained || work == .abandoned))
                #expect(state.refusal == nil ? work == .idle : true)
                if case .disconnected = link { #expect(!state.hasSocket) } else { #expect(state.hasSocket) }
                let holding: [WorkPhase] = [.rendering(Self.clip), .draining(Self.clip), .abandoning(Self.clip)]
                #expect(state.clipInHand == (holding.contains(work) ? Self.clip : nil))
            }
        }
        #expect(WorkerLifecycle.start(now: Self.t0) == WorkerLifecycle(link: .disconnected(retryAt: Self.t0, failures: 0), work: .idle))
    }

    @Test func refusalNamesStateAndEvent() {
        let state = WorkerLifecycle(link: .connected, work: .rendering(Self.clip))
        #expect(throws: LifecycleError(state: state, event: .accept(Self.other))) { try state.applying(.accept(Self.other)) }
        #expect(LifecycleError(state: state, event: .dial(at: Self.t0)).description.contains("connected"))
    }

    /// A new socket waits the connect allowance from its dial, an answered one the liveness
    /// timeout from its last message; without a socket there is nothing to give up.
    @Test func connectingAndSilentHaveTheirOwnAllowances() {
        let heard = Self.t0 + .seconds(20)
        let expected: [WorkerLink: ContinuousClock.Instant?] = [
            .disconnected(retryAt: Self.t0, failures: 2): nil,
            .connecting(since: Self.t0, failures: 2): Self.t0 + .seconds(10),
            .connected: heard + .seconds(3),
            .leaving: nil,
        ]
        for link in Self.links {
            let giveUpAt = WorkerLifecycle(link: link, work: .idle).giveUpAt(lastHeard: heard, silence: .seconds(3), connect: .seconds(10))
            #expect(giveUpAt == expected[link], "\(link)")
        }
    }
}
