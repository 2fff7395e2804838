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
        .pending: [.dispatch: .dispatched, .failFinally: .failed, .cancel: .cancelled],
        .dispatched: [.succeed: .done, .hold: .held, .failRetrying: .pending, .failFinally: .failed, .requeue: .pending,
                      .cancel: .cancelled],
        .held: [.succeed: .done, .cancel: .cancelled],
        .done: [:], .failed: [.retry: .pending], .cancelled: [:],
    ]

    static let workerTable: [WorkerState: [WorkerState.Event: WorkerState]] = [
        .connecting: [.ready: .idle, .resume: .rendering, .drain: .draining, .silence: .lost, .leave: .gone],
        .idle: [.ready: .idle, .dispatch: .rendering, .drain: .draining, .silence: .lost, .leave: .gone],
        .rendering: [.ready: .idle, .resume: .rendering, .finishClip: .idle, .drain: .draining, .silence: .lost,
                     .leave: .gone],
        .draining: [.ready: .idle, .finishClip: .draining, .drain: .draining, .silence: .lost, .leave: .gone],
        .lost: [.ready: .idle, .leave: .gone],
        .gone: [.ready: .idle],
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

    @Test(arguments: WorkerState.allCases)
    func workerTransitions(state: WorkerState) {
        for event in WorkerState.Event.allCases {
            let expected = Self.workerTable[state]?[event]
            let actual = try? state.applying(event)
            #expect(actual == expected, "worker \(state) + \(event)")
        }
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
