import Foundation

/// A ROUTER socket's identity of a peer, as logs show it.
enum RoutingIdentity {
    /// At most 64 bytes, anything but printable ASCII as `?`.
    static func printable(_ identity: Data) -> String {
        String(decoding: identity.prefix(64).map { (32...126).contains($0) ? $0 : 63 }, as: UTF8.self)
    }
}
