import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports nobody listens on right now, for a local farm's sockets.
///
/// A port is chosen below the kernel's ephemeral range and checked by binding it. A port the kernel
/// hands out for `bind(0)` is ephemeral, and between choosing it and the farm binding it any outgoing
/// connection on the machine may be given it as its local port: the farm then cannot bind, and a
/// process that dies at start looks like one that died serving. Outgoing connections never take a
/// port below the range.
public enum LoopbackPorts {
    /// `tcp://127.0.0.1:PORT`.
    public static func freeEndpoint() throws -> String { "tcp://127.0.0.1:\(try freePort())" }

    /// `127.0.0.1:PORT`, for an HTTP listener (the dashboard).
    public static func freeAddress() throws -> String { "127.0.0.1:\(try freePort())" }

    /// A TCP port on 127.0.0.1 that binds now, below the ephemeral range.
    public static func freePort() throws -> Int {
        let candidates = lowestPort..<ephemeralRangeStart()
        let tries = 256
        for _ in 0..<tries {
            let port = Int.random(in: candidates)
            if bindable(port) { return port }
        }
        throw LaunchError.noFreePort(range: candidates, tries: tries)
    }

    /// Below this lie well-known and commonly configured service ports.
    static let lowestPort = 10_000

    /// The first ephemeral port (`/proc/sys/net/ipv4/ip_local_port_range`; IANA's 49152 where that
    /// cannot be read), at least 1,000 above `lowestPort` so there is room to choose.
    static func ephemeralRangeStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let start = text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 49_152
        return max(start, lowestPort + 1_000)
    }

    /// Whether a TCP socket binds 127.0.0.1:`port` now.
    static func bindable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
