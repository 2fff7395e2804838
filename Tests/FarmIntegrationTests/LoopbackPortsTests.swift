@testable import FarmLaunch
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The launchers' free ports lie below the ephemeral range, where no outgoing connection can take one
/// between its choice and the farm binding it (a flake once: a coordinator that could not bind its
/// chosen port died at start).
struct LoopbackPortsTests {
    @Test func freePortsLieBelowTheEphemeralRangeAndBind() throws {
        let start = LoopbackPorts.ephemeralRangeStart()
        for _ in 0..<20 {
            let port = try LoopbackPorts.freePort()
            #expect((LoopbackPorts.lowestPort..<start).contains(port), "port \(port), ephemeral from \(start)")
            #expect(LoopbackPorts.bindable(port))
        }
        #expect(try LoopbackPorts.freeEndpoint().hasPrefix("tcp://127.0.0.1:"))
    }

    @Test func aPortSomeoneListensOnIsNotBindable() throws {
        let port = try LoopbackPorts.freePort()
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        #expect(listen(listener, 1) == 0)
        #expect(!LoopbackPorts.bindable(port))
    }
}
