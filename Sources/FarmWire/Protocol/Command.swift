/// The command frame's words. The direction decides which ones a parser accepts.
public enum Command: String, Sendable, CaseIterable {
    // Worker → coordinator.
    case ready = "READY"
    case heartbeat = "HEARTBEAT"
    case result = "RESULT"
    case failed = "FAILED"
    // Coordinator → worker (plus HEARTBEAT); DISCONNECT and ERROR go both ways.
    case task = "TASK"
    case cancel = "CANCEL"
    case disconnect = "DISCONNECT"
    case error = "ERROR"
    // Client → coordinator.
    case submit = "SUBMIT"
    case uploadBegin = "UPLOAD_BEGIN"
    case uploadChunk = "UPLOAD_CHUNK"
    case status = "STATUS"
    case workers = "WORKERS"
    case cancelJob = "CANCEL_JOB"
    case retryJob = "RETRY_JOB"
    /// Added to FARM01 after its first release (additive: an older coordinator answers `unknown_command`).
    case fetchClip = "FETCH_CLIP"
    // Coordinator → client (plus ERROR).
    case ok = "OK"
}
