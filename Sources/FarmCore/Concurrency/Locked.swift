import Foundation

/// A value shared between threads (a worker's render and I/O threads, a test's lanes), only
/// touched under its lock.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    // Every access goes through `withLock`, so the lock makes this Sendable; the value must be
    // Sendable itself, or a reference taken out under the lock would be shared unprotected.
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) { self.value = value }

    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
