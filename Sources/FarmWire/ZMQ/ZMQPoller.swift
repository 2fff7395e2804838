import CZeroMQ

/// Waits on several sockets and plain file descriptors at once (`zmq_poll`), so one thread can serve
/// two ROUTER sockets, or a socket and a `WakePipe`, without busy-waiting.
public enum ZMQPoller {
    public enum Item {
        case socket(ZMQSocket)
        /// A plain readable file descriptor (e.g. `WakePipe.readDescriptor`).
        case descriptor(Int32)
    }

    /// Which items are readable, in the order given; all false when `timeout` passes first or a
    /// signal interrupted the wait. A nil `timeout` waits indefinitely.
    public static func poll(_ items: [Item], timeout: Duration?) throws(SocketError) -> [Bool] {
        var entries = [zmq_pollitem_t]()
        for item in items {
            switch item {
            case .socket(let socket):
                guard let handle = socket.handle else { throw SocketError(operation: "poll", errno: ENOTSOCK) }
                entries.append(zmq_pollitem_t(socket: handle, fd: -1, events: Int16(ZMQ_POLLIN), revents: 0))
            case .descriptor(let fd):
                entries.append(zmq_pollitem_t(socket: nil, fd: fd, events: Int16(ZMQ_POLLIN), revents: 0))
            }
        }
        // Rounded up: a timer 0.4 ms away waits 1 ms rather than spinning on zero-length polls.
        let milliseconds = timeout.map { max(0, $0.wholeMilliseconds + ($0 > .milliseconds($0.wholeMilliseconds) ? 1 : 0)) } ?? -1
        if zmq_poll(&entries, Int32(entries.count), milliseconds) == -1 {
            let error = zmq_errno()
            if error == EINTR { return Array(repeating: false, count: items.count) }
            throw SocketError(operation: "poll", errno: error)
        }
        return entries.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }
}

extension Duration {
    /// Rounded down, as libzmq's millisecond timeouts and linger take it.
    var wholeMilliseconds: Int {
        Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }
}
