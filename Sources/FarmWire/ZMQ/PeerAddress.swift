import CZeroMQ
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The IP address at the other end of a connected socket, in the numeric form ZAP requests give it
/// (libzmq formats it with `getnameinfo(NI_NUMERICHOST)` too).
public enum PeerAddress {
    /// nil when `descriptor` is not an open, connected IPv4 or IPv6 socket.
    public static func of(descriptor: Int32) -> String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let found = withUnsafeMutableBytes(of: &storage) { raw -> Bool in
            let address = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
            guard getpeername(descriptor, address, &length) == 0,
                  [AF_INET, AF_INET6].contains(Int32(address.pointee.sa_family)) else { return false }
            return getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
        }
        return found ? text(host) : nil
    }
}
