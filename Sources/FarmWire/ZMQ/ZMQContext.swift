import CZeroMQ

/// Owns one libzmq context. Sockets keep their context alive, so the context is terminated only
/// after every socket made from it has closed (sockets close with linger 0, or a bounded linger at a
/// goodbye: 200 ms for the coordinator's worker socket, up to 5 s for a leaving worker's, so it never
/// blocks for long).
public final class ZMQContext: @unchecked Sendable {
    // libzmq contexts are thread-safe; the handle is immutable after init.
    let handle: UnsafeMutableRawPointer

    public init() throws(SocketError) {
        guard let handle = zmq_ctx_new() else { throw SocketError.last("zmq_ctx_new") }
        self.handle = handle
    }

    deinit {
        while zmq_ctx_term(handle) == -1 && zmq_errno() == EINTR {}
    }
}
