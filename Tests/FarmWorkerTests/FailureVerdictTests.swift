import FarmCore
import FarmHarness
import FarmWire
import FarmWorker
import Foundation
import Testing

/// The worker's FAILED carries the error's own verdict on whether another worker could succeed.
@Suite struct FailureVerdictTests {
    struct BadRequest: RetryVerdict, CustomStringConvertible {
        var retryElsewhere: Bool { false }
        var description: String { "frame after env step 900 is outside the rollout" }
    }

    struct DriverTrouble: Error, CustomStringConvertible {
        var description: String { "the GL driver lost the context" }
    }

    /// Throws `error` for every clip.
    struct FailingProducer: ClipProducing {
        let error: any Error & Sendable

        var capabilities: ProducerCapabilities { StandInClipProducer().capabilities }

        func produce(_ request: ClipRenderRequest, rollout: any RolloutSource, outputPath: String,
                     progress: @escaping @Sendable (ClipProgress) -> Void,
                     isCancelled: @escaping @Sendable () -> Bool) throws -> ProducedClip {
            throw error
        }
    }

    @Test(arguments: [(false, "frame after env step 900 is outside the rollout"), (true, "the GL driver lost the context")])
    func failedSaysWhetherAnotherWorkerCouldSucceed(retryable: Bool, message: String) throws {
        let coordinator = try FakeCoordinator()
        let error: any Error & Sendable = retryable ? DriverTrouble() : BadRequest()
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator),
                                      producerFactory: { FailingProducer(error: error) })
        let worker = RunningWorker(daemon)
        let ready = try coordinator.expect("READY") { if case .ready = $0 { true } else { false } }
        try coordinator.send(Sample.task(), to: ready.identity)
        let failed = try coordinator.expect("FAILED") { if case .failed = $0 { true } else { false } }
        guard case .failed(let body) = failed.message else { return }
        #expect(body.retryable == retryable)
        #expect(body.error == message)
        daemon.requestDrain()
        #expect(worker.exit() != nil)
    }
}
