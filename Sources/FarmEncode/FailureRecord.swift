import Foundation

/// What a clip's threads share besides their queues: the first error any of them raised (kept for
/// the caller's next append or finish) and whether the caller abandoned the clip.
final class FailureRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var first: EncodeError?
    private var abandonedByCaller = false

    var error: EncodeError? { lock.withLock { first } }

    /// True when the encoding thread must not complete the file: an error, or `abandon()`.
    var stopped: Bool { lock.withLock { first != nil || abandonedByCaller } }

    func record(_ error: EncodeError) {
        lock.withLock { if first == nil { first = error } }
    }

    func abandon() {
        lock.withLock { abandonedByCaller = true }
    }
}
