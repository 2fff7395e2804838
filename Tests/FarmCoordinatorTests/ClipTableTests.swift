import FarmCore
import Testing
@testable import FarmCoordinator

/// A job's tally, kept as its clips are set, equals the tally counted afresh over them.
struct ClipTableTests {
    @Test func eachJobsTallyFollowsItsClips() {
        var table = ClipTable()
        var generator = SystemRandomNumberGenerator()
        for step in 0..<2000 {
            let key = ClipKey(job: JobID.random(in: 1...3, using: &generator), index: Int.random(in: 0..<20, using: &generator))
            if step % 7 == 6 {
                table[key] = nil
            } else {
                table[key] = TrackedClip(key: key, plan: ClipPlan(file: "c\(key.index).mp4", steps: Array(0..<(key.index + 1))),
                                         state: ClipState.allCases.randomElement(using: &generator) ?? .queued)
            }
            for job: JobID in 1...3 {
                #expect(table.tally(of: job) == ClipTally(table.values.filter { $0.key.job == job }))
            }
        }
        let tally = ClipTally([TrackedClip(key: ClipKey(job: 1, index: 0), plan: ClipPlan(file: "a.mp4", steps: [0, 1]), state: .done),
                               TrackedClip(key: ClipKey(job: 1, index: 1), plan: ClipPlan(file: "b.mp4", steps: [2]), state: .failed)])
        #expect((tally.total, tally.count(.done), tally.failed, tally.frames, tally.framesDone) == (2, 1, [1], 3, 2))
    }
}
