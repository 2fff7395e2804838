import Foundation

/// A value shared between the render thread and the I/O thread, only touched under its lock.
final class Locked<Value>: @unchecked Sendable {
    // Every access goes through `withLock`, so the lock makes this Sendable.
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
