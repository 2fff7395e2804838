import FarmCore
import FarmWire

/// The state both threads see: the clip rendering (progress written by the render thread, cancel
/// flag by the I/O thread) and the messages the render thread has finished for the I/O thread.
struct SharedWorkerState: Sendable {
    struct ClipInHand: Sendable {
        let jobId: String
        let clipId: Int
        let attempt: Int
        let outputPath: String
        var progress: ClipProgress
        var cancelled = false

        func matches(_ cancel: CancelTask) -> Bool {
            cancel.jobId == jobId && cancel.clipId == clipId && cancel.attempt == attempt
        }
    }

    var clip: ClipInHand?
    /// RESULT and FAILED messages waiting for the I/O thread to send them.
    var outbox: [WorkerMessage] = []
    var drainRequested = false
}
