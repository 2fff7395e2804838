import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection, for tests that speak HTTP by hand or hold connections open.
public enum TCPSocket {
    /// The connected descriptor; the caller closes it.
    public static func connect(host: String = "127.0.0.1", port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPClient.Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            close(fd)
            throw HTTPClient.Failure(description: "connect to \(host):\(port): errno \(error)")
        }
        return fd
    }
}
