import Foundation

/// A blocking first-in first-out queue of at most `capacity` elements between threads: `push`
/// waits while it is full (so a fast producer cannot grow memory), `pop` waits while it is empty.
/// `close()` lets consumers drain what is left; `cancel()` drops everything and wakes all waiters.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    let capacity: Int
    private let condition = NSCondition()
    /// A ring of `capacity` slots; `count` elements start at `head`.
    private var slots: [Element?]
    private var head = 0
    private var count = 0
    private var closed = false
    private var cancelled = false
    private var peak = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a bounded queue needs room for at least one element")
        self.capacity = capacity
        slots = Array(repeating: nil, count: capacity)
    }

    /// The most elements ever held at once; never more than `capacity`.
    var peakCount: Int { condition.withLock { peak } }

    /// False when the queue was closed or cancelled, in which case `element` was not queued.
    @discardableResult
    func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count == capacity && !closed && !cancelled { condition.wait() }
        guard !closed && !cancelled else { return false }
        slots[(head + count) % capacity] = element
        count += 1
        peak = max(peak, count)
        condition.broadcast()
        return true
    }

    /// The oldest element, or nil once the queue is closed and drained, or cancelled.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !closed && !cancelled { condition.wait() }
        guard !cancelled, count > 0 else { return nil }
        let element = slots[head]
        slots[head] = nil
        head = (head + 1) % capacity
        count -= 1
        condition.broadcast()
        return element
    }

    func close() {
        condition.withLock { closed = true; condition.broadcast() }
    }

    func cancel() {
        condition.withLock {
            cancelled = true
            slots = Array(repeating: nil, count: capacity)
            head = 0
            count = 0
            condition.broadcast()
        }
    }
}
