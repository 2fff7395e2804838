@testable import FarmCoordinator
import Testing

/// A flood of refusals logs two lines: the first refusal and the acceptance that ends the run.
struct RefusalEpisodesTests {
    enum Step { case refused(String, logs: Bool), accepted(String, endsRunOf: Int?) }

    /// One sequence, in order, on an instance that remembers two keys.
    static let steps: [Step] = [
        .refused("a", logs: true), .refused("a", logs: false), .refused("a", logs: false),
        .accepted("a", endsRunOf: 3), .accepted("a", endsRunOf: nil),
        .refused("a", logs: true), .refused("b", logs: true),
        // Past its capacity it remembers no new key.
        .refused("c", logs: false), .accepted("c", endsRunOf: nil),
    ]

    @Test func aRunOfRefusalsIsLoggedOnceAndCountedWhenItEnds() {
        var episodes = RefusalEpisodes(capacity: 2)
        for (index, step) in Self.steps.enumerated() {
            switch step {
            case .refused(let key, let logs):
                let logged = episodes.refused(key)
                #expect(logged == logs, "step \(index)")
            case .accepted(let key, let run):
                let ended = episodes.accepted(key)
                #expect(ended == run, "step \(index)")
            }
        }
    }
}
