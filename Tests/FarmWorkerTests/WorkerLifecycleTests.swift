@testable import FarmWorker
import Testing

/// Every (link, work, event) triple: the allowed ones go where the tables say, all others are
/// refused. Link events move only the link, work events only the work phase, except `leave`,
/// which needs nothing in hand.
struct WorkerLifecycleTests {
    static let t0 = ContinuousClock.now
    static let retry = t0 + .seconds(4)
    static let clip = ClipRef(jobId: "7", clipId: 2, attempt: 1)
    static let other = ClipRef(jobId: "7", clipId: 3, attempt: 1)

    static let links: [WorkerLink] = [.disconnected(retryAt: t0, failures: 2), .connecting(failures: 2), .connected, .leaving]
    static let phases: [WorkPhase] = [.idle, .rendering(clip), .draining(clip), .abandoning(clip), .drained, .abandoned]
    static let linkEvents: [WorkerEvent] = [.dial, .heard, .lost(retryAt: retry)]
    static let workEvents: [WorkerEvent] = [.accept(clip), .finish(clip), .finish(other), .drain, .abandon]

    /// Where each link event takes each link, whatever the work phase.
    static let linkTable: [WorkerLink: [WorkerEvent: WorkerLink]] = [
        .disconnected(retryAt: t0, failures: 2): [.dial: .connecting(failures: 2)],
        .connecting(failures: 2): [.heard: .connected, .lost(retryAt: retry): .disconnected(retryAt: retry, failures: 3)],
        .connected: [.heard: .connected, .lost(retryAt: retry): .disconnected(retryAt: retry, failures: 1)],
        .leaving: [.heard: .leaving],
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
        #expect(LifecycleError(state: state, event: .dial).description.contains("connected"))
    }
}
