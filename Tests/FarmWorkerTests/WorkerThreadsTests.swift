import FarmCore
import FarmHarness
import FarmWire
@testable import FarmWorker
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct WorkerThreadsTests {
    /// Linux silently ignores a thread name over 15 bytes; the worker's names must reach the kernel.
    @Test(arguments: ["farm-render", "farm-signals"])
    func threadNameReachesTheKernel(name: String) {
        let seen = Locked("")
        let thread = JoinableThread(name: name) {
            let kernelName = kernelThreadName()
            seen.withLock { $0 = kernelName }
        }
        thread.join()
        #expect(seen.withLock { $0 } == name)
    }

    /// The daemon returns only once its render thread has let the producer go, on that thread.
    @Test func runReturnsAfterTheProducerIsReleasedOnTheRenderThread() throws {
        let coordinator = try FakeCoordinator()
        let released = Locked<String?>(nil)
        let daemon = try WorkerDaemon(configuration: Sample.configuration(coordinator),
                                      producerFactory: { ReleaseRecordingProducer(released: released) })
        daemon.requestDrain()
        #expect(try daemon.run() == .drained)
        #expect(released.withLock { $0 } == "farm-render")
    }
}

/// The calling thread's name as the kernel holds it (what `ps -L` and core dumps show).
private func kernelThreadName() -> String {
    let text = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
    return text.trimmingCharacters(in: .newlines)
}

/// Records the name of the thread it is released on.
private final class ReleaseRecordingProducer: ClipProducing {
    let released: Locked<String?>
    let inner = StandInClipProducer()

    init(released: Locked<String?>) { self.released = released }

    deinit {
        let name = kernelThreadName()
        released.withLock { $0 = name }
    }

    var capabilities: ProducerCapabilities { inner.capabilities }

    func produce(_ request: ClipRenderRequest, rollout: any RolloutSource, outputPath: String,
                 progress: @escaping @Sendable (ClipProgress) -> Void,
                 isCancelled: @escaping @Sendable () -> Bool) throws -> ProducedClip {
        try inner.produce(request, rollout: rollout, outputPath: outputPath, progress: progress, isCancelled: isCancelled)
    }
}
