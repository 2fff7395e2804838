/// How a worker that did not fail ended; `farm-worker` exits with `code`.
public enum WorkerExit: Sendable, Equatable {
    /// Drained: any clip in hand was finished and sent, then DISCONNECT (exit 0).
    case drained
    /// A second SIGTERM/SIGINT cancelled the clip in hand; it was not sent and the coordinator
    /// requeues it when it reads DISCONNECT (exit 3). Teardown was as clean as after a drain.
    case abandonedClip

    public var code: Int32 {
        switch self {
        case .drained: 0
        case .abandonedClip: 3
        }
    }
}
