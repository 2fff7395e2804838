import FarmCore
import Testing
@testable import FarmCoordinator

/// Every (state, event) pair: the allowed ones go where the table says, all others are refused.
struct StateMachineTests {
    static let jobTable: [JobState: [JobState.Event: JobState]] = [
        .queued: [.dispatched: .running, .allClipsDone: .completed, .settledWithFailures: .failed, .cancel: .cancelled],
        .running: [.dispatched: .running, .allClipsDone: .completed, .settledWithFailures: .failed, .cancel: .cancelled],
        .completed: [:], .failed: [.retry: .queued], .cancelled: [:],
    ]

    static let clipTable: [ClipState: [ClipState.Event: ClipState]] = [
        .queued: [.dispatch: .dispatched, .failFinally: .failed, .cancel: .cancelled],
        .dispatched: [.succeed: .done, .hold: .held, .failRetrying: .queued, .failFinally: .failed, .requeue: .queued,
                      .poison: .failed, .cancel: .cancelled],
        .held: [.succeed: .done, .cancel: .cancelled],
        .done: [:], .failed: [.retry: .queued], .cancelled: [:],
    ]

    static let held = Assignment(clip: ClipKey(job: 1, index: 0), attempt: 1)
    static let next = Assignment(clip: ClipKey(job: 1, index: 1), attempt: 2)

    /// One state per shape a worker can be in; events with a sample clip.
    static let workerStates: [WorkerState] = [
        .connecting(held), .idle(abandoning: false), .idle(abandoning: true), .rendering(held), .draining(held),
        .draining(nil), .lost, .gone,
    ]
    static let workerEvents: [WorkerState.Event] = [
        .ready, .resume, .dispatch(next), .finishClip, .abandonClip, .reportFree, .drain, .silence, .leave,
    ]

    static let workerTable: [WorkerState: [WorkerState.Event: WorkerState]] = [
        .connecting(held): [.ready: .idle(abandoning: false), .resume: .rendering(held), .finishClip: .idle(abandoning: false),
                            .abandonClip: .idle(abandoning: true), .drain: .draining(held), .silence: .lost, .leave: .gone],
        .idle(abandoning: false): [.ready: .idle(abandoning: false), .dispatch(next): .rendering(next),
                                   .reportFree: .idle(abandoning: false), .drain: .draining(nil), .silence: .lost,
                                   .leave: .gone],
        .idle(abandoning: true): [.ready: .idle(abandoning: false), .reportFree: .idle(abandoning: false),
                                  .drain: .draining(nil), .silence: .lost, .leave: .gone],
        .rendering(held): [.ready: .idle(abandoning: false), .resume: .rendering(held), .finishClip: .idle(abandoning: false),
                           .abandonClip: .idle(abandoning: true), .drain: .draining(held), .silence: .lost, .leave: .gone],
        .draining(held): [.ready: .idle(abandoning: false), .finishClip: .draining(nil), .abandonClip: .draining(nil),
                          .drain: .draining(held), .silence: .lost, .leave: .gone],
        .draining(nil): [.ready: .idle(abandoning: false), .drain: .draining(nil), .silence: .lost, .leave: .gone],
        .lost: [.ready: .idle(abandoning: true), .leave: .gone],
        .gone: [.ready: .idle(abandoning: true)],
    ]

    @Test(arguments: JobState.allCases)
    func jobTransitions(state: JobState) {
        for event in JobState.Event.allCases {
            let expected = Self.jobTable[state]?[event]
            let actual = try? state.applying(event)
            #expect(actual == expected, "job \(state) + \(event)")
        }
    }

    @Test(arguments: ClipState.allCases)
    func clipTransitions(state: ClipState) {
        for event in ClipState.Event.allCases {
            let expected = Self.clipTable[state]?[event]
            let actual = try? state.applying(event)
            #expect(actual == expected, "clip \(state) + \(event)")
        }
    }

    @Test func workerTransitions() {
        #expect(Set(Self.workerTable.keys) == Set(Self.workerStates))
        for state in Self.workerStates {
            for event in Self.workerEvents {
                let expected = Self.workerTable[state]?[event]
                let actual = try? state.applying(event)
                #expect(actual == expected, "worker \(state) + \(event.name)")
            }
        }
    }

    @Test func aWorkerWithAClipAlwaysNamesIt() {
        for state in Self.workerStates {
            let holds = [.connecting, .rendering].contains(state.phase) || state == .draining(Self.held)
            #expect((state.assignment != nil) == holds, "\(state)")
        }
        #expect(WorkerState.idle(abandoning: false).takesClips)
        #expect(!WorkerState.idle(abandoning: true).takesClips)
    }

    @Test func resumingConfirmsTheClipAndClearsItsMismatchClock() throws {
        var missing = Self.held
        missing.missingSince = 12
        #expect(try WorkerState.rendering(missing).applying(.resume) == .rendering(Self.held))
        #expect(try WorkerState.connecting(missing).applying(.resume) == .rendering(Self.held))
    }

    @Test func refusalNamesMachineStateAndEvent() {
        #expect(throws: TransitionError(machine: "clip", state: "done", event: "dispatch")) {
            try ClipState.done.applying(.dispatch)
        }
        #expect(TransitionError(machine: "job", state: "completed", event: "cancel").description
            == "job in state 'completed' cannot take event 'cancel'")
    }

    @Test func terminalStatesAreLeftOnlyByARetry() {
        // Only an operator's retry leads out of `failed`.
        for state in JobState.allCases {
            #expect(state.isTerminal == (Self.jobTable[state]?.keys.allSatisfy { $0 == .retry } ?? true))
        }
        for state in ClipState.allCases {
            #expect(state.isTerminal == (Self.clipTable[state]?.keys.allSatisfy { $0 == .retry } ?? true))
        }
    }
}
