import Foundation

/// A value shared between the render thread and the I/O thread, only touched under its lock.
final class Locked<Value: Sendable>: @unchecked Sendable {
    // Every access goes through `withLock`, so the lock makes this Sendable; the value must be
    // Sendable itself, or a reference taken out under the lock would be shared unprotected.
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
