import CZeroMQ
import Foundation

/// One event of a socket's connection monitor (`ZMQSocket.monitorConnections`): a peer's TCP
/// connection accepted, or gone. Both carry the connection's descriptor.
public struct ConnectionEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case accepted, disconnected }

    public var kind: Kind
    public var descriptor: Int32

    public init(kind: Kind, descriptor: Int32) {
        self.kind = kind
        self.descriptor = descriptor
    }

    /// The events `monitorConnections` asks libzmq for.
    static let monitored = ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED

    /// Parses libzmq's two frames (a 16-bit event id and a 32-bit value in host order, then the
    /// endpoint); nil for anything else.
    public init?(frames: [Data]) {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let id = frames[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: UInt16.self) }
        let value = frames[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 2, as: Int32.self) }
        switch Int32(id) {
        case ZMQ_EVENT_ACCEPTED: kind = .accepted
        case ZMQ_EVENT_DISCONNECTED: kind = .disconnected
        default: return nil
        }
        descriptor = value
    }
}
