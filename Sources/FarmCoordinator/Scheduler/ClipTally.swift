import FarmCore

/// One job's clips counted by what its record reports of them, kept as the clips change
/// (`ClipTable`), or counted once over stored clips: a record costs its counts and a page of clips,
/// not a pass over every clip (a job may have 20,000).
struct ClipTally: Equatable {
    private(set) var total = 0
    private var byState: [ClipState: Int] = [:]
    /// Frames of all the clips, and of those done.
    private(set) var frames = 0
    private(set) var framesDone = 0
    /// Indices of the clips dispatched (their workers report their frames done) and failed (the
    /// record names the first).
    private(set) var dispatched: Set<Int> = []
    private(set) var failed: Set<Int> = []

    init() {}

    init(_ clips: some Sequence<TrackedClip>) {
        for clip in clips { add(clip) }
    }

    /// A settled job's counts as the store sums them (`CoordinatorStore.tally(of:)`): none of its
    /// clips is dispatched.
    init(byState: [ClipState: Int], frames: Int, framesDone: Int, failed: Set<Int>) {
        self.byState = byState.filter { $0.value != 0 }
        total = byState.values.reduce(0, +)
        self.frames = frames
        self.framesDone = framesDone
        self.failed = failed
    }

    func count(_ state: ClipState) -> Int { byState[state] ?? 0 }

    mutating func add(_ clip: TrackedClip) { count(clip, as: 1) }

    mutating func remove(_ clip: TrackedClip) { count(clip, as: -1) }

    private mutating func count(_ clip: TrackedClip, as sign: Int) {
        total += sign
        let inState = count(clip.state) + sign
        byState[clip.state] = inState == 0 ? nil : inState
        frames += sign * clip.plan.frames
        let index = clip.key.index
        switch clip.state {
        case .done: framesDone += sign * clip.plan.frames
        case .dispatched: if sign > 0 { dispatched.insert(index) } else { dispatched.remove(index) }
        case .failed: if sign > 0 { failed.insert(index) } else { failed.remove(index) }
        default: break
        }
    }
}
