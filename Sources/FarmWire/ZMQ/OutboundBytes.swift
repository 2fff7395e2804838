import Synchronization

/// Bytes of messages handed to libzmq and not yet written to the peer (or dropped with it). A peer
/// that sends requests and does not read the replies leaves them queued in the sender's memory, up
/// to a thousand messages per connection, so a server counts them (`ZMQSocket.send(_:wait:counting:)`)
/// and stops answering such a peer before its memory goes.
public final class OutboundBytes: Sendable {
    private let bytes = Atomic<Int>(0)

    public init() {}

    /// Bytes counted and not yet released.
    public var pending: Int { bytes.load(ordering: .relaxed) }

    func add(_ count: Int) { bytes.add(count, ordering: .relaxed) }
    func remove(_ count: Int) { bytes.subtract(count, ordering: .relaxed) }
}

/// What a counted frame's buffer releases when libzmq is done with it (its free function's hint).
final class OutboundRelease {
    let counters: [OutboundBytes]
    let count: Int

    init(counters: [OutboundBytes], count: Int) {
        self.counters = counters
        self.count = count
        for counter in counters { counter.add(count) }
    }

    deinit { for counter in counters { counter.remove(count) } }
}
