import FarmCore
import FarmPipeline
import Testing

/// A clip the request makes impossible fails on every worker, so it is not retried elsewhere.
@Suite struct PipelineRetryVerdictTests {
    @Test func requestFaultsAreNotRetriedElsewhere() {
        let table: [(PipelineError, Bool)] = [
            (.emptyClip, false),
            (.stepOutsideRollout(step: 900, available: 0..<600), false),
            (.cancelled, true),
        ]
        for (error, verdict) in table {
            #expect(retryElsewhere(after: error) == verdict, "\(error)")
        }
    }
}
