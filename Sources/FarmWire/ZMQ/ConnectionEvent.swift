import CZeroMQ
import Foundation

/// One event of a socket's connection monitor (`ZMQSocket.monitorConnections`): on a server, a
/// peer's TCP connection accepted or gone (`value` is its descriptor); on a client, its handshake
/// refused by the server or failed (`value` is the ZAP status code or the error). libzmq does not
/// connect again after a refused handshake, so a client must open a new socket to.
public struct ConnectionEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case accepted, disconnected, handshakeFailed }

    /// Which events a monitor reports.
    public enum Watch: Sendable {
        /// A server's connections coming and going.
        case connections
        /// A client's handshakes failing.
        case handshakeFailures

        var events: Int32 {
            switch self {
            case .connections: ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED
            case .handshakeFailures:
                ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
            }
        }
    }

    public var kind: Kind
    public var value: Int32

    public init(kind: Kind, value: Int32) {
        self.kind = kind
        self.value = value
    }

    /// The connection's descriptor, for `accepted` and `disconnected`.
    public var descriptor: Int32 { value }

    /// Parses libzmq's two frames (a 16-bit event id and a 32-bit value in host order, then the
    /// endpoint); nil for anything else.
    public init?(frames: [Data]) {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let id = frames[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: UInt16.self) }
        let value = frames[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 2, as: Int32.self) }
        switch Int32(id) {
        case ZMQ_EVENT_ACCEPTED: kind = .accepted
        case ZMQ_EVENT_DISCONNECTED: kind = .disconnected
        case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
            kind = .handshakeFailed
        default: return nil
        }
        self.value = value
    }
}
