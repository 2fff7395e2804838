import CZeroMQ

/// A libzmq call failed. The one place that turns `errno` into words (`zmq_strerror`).
public struct SocketError: Error, Equatable, CustomStringConvertible {
    /// What the farm was doing, e.g. "bind tcp://0.0.0.0:5555".
    public let operation: String
    public let errno: Int32
    public let reason: String

    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
        self.reason = String(cString: zmq_strerror(errno))
    }

    /// The error of the libzmq call that just failed on this thread.
    static func last(_ operation: String) -> SocketError {
        SocketError(operation: operation, errno: zmq_errno())
    }

    /// The peer is not connected (ROUTER with mandatory routing) or the send queue is full.
    public var isUnroutable: Bool { errno == EHOSTUNREACH || errno == EAGAIN }

    public var description: String { "ZeroMQ \(operation) failed: \(reason) (errno \(errno))" }
}
