import FarmCore
import FarmWire

/// The mailbox between the worker's threads. The I/O loop owns the lifecycle; the others only post
/// here and wake it: the render thread its progress and finished clips, the signal thread and
/// `requestDrain()` stop requests. The render thread reads `cancelled` before each frame.
struct SharedWorkerState: Sendable {
    /// A clip the render thread handed back, with the RESULT or FAILED to send (nil: cancelled).
    struct FinishedClip: Sendable {
        let clip: ClipRef
        let message: WorkerMessage?
    }

    /// Progress of the clip in hand, written by the render thread.
    var progress: ClipProgress?
    /// The clip the I/O loop wants abandoned (CANCEL from the coordinator, or a second signal).
    var cancelled: ClipRef?
    var finished: [FinishedClip] = []
    /// `.drain` and `.abandon` events not yet taken by the I/O loop, in arrival order.
    var stopRequests: [WorkerEvent] = []
}
