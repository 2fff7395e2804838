import FarmWire

/// Why the worker daemon stopped without draining cleanly. The command prints the description and
/// exits non-zero.
public enum WorkerError: Error, CustomStringConvertible {
    /// The producer (EGL device, GL context, encoder) could not be created.
    case deviceUnavailable(String)
    /// The coordinator speaks another protocol version.
    case versionMismatch(String)
    /// A socket could not be created or connected (bad endpoint, out of file descriptors).
    case socket(SocketError)
    case scratchDirectory(path: String, reason: String)
    /// The I/O loop tried a lifecycle transition the state machine forbids: a bug in the worker.
    case lifecycle(String)

    public var description: String {
        switch self {
        case .deviceUnavailable(let reason): "farm-worker: no usable render device: \(reason)"
        case .versionMismatch(let message): "farm-worker: coordinator refused this worker's protocol: \(message)"
        case .socket(let error): "farm-worker: \(error)"
        case .scratchDirectory(let path, let reason): "farm-worker: cannot use scratch directory \(path): \(reason)"
        case .lifecycle(let message): "farm-worker: internal error, please report it: \(message)"
        }
    }
}
