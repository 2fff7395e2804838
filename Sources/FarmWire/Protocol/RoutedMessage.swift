import Foundation

/// A message as a ROUTER socket receives it: the peer's routing identity, an optional empty
/// delimiter frame (REQ peers add one; DEALER peers need not), then the protocol frames.
public struct RoutedMessage: Sendable, Equatable {
    public var identity: Data
    /// Whether the peer put an empty delimiter after the identity; replies echo it.
    public var delimited: Bool
    public var payload: [Data]

    public init(identity: Data, delimited: Bool = false, payload: [Data]) {
        self.identity = identity
        self.delimited = delimited
        self.payload = payload
    }

    /// Splits what `ZMQSocket.receive` returned on a ROUTER socket.
    public init(routerFrames frames: [Data]) throws(ProtocolError) {
        guard let identity = frames.first, !identity.isEmpty else { throw .missingIdentity }
        self.identity = identity
        delimited = frames.count > 1 && frames[1].isEmpty
        payload = Array(frames.dropFirst(delimited ? 2 : 1))
    }

    /// The frames a ROUTER sends to reach this peer with `payload`.
    public func reply(_ payload: [Data]) -> [Data] {
        Self.frames(to: identity, delimited: delimited, payload: payload)
    }

    /// The frames a ROUTER sends to reach `identity` with `payload`.
    public static func frames(to identity: Data, delimited: Bool = false, payload: [Data]) -> [Data] {
        [identity] + (delimited ? [Data()] : []) + payload
    }
}
