@testable import FarmWorker
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct CoordinatorProbeTests {
    @Test(arguments: [
        ("tcp://head:5555", "head", "5555"),
        ("tcp://10.0.0.1:5555", "10.0.0.1", "5555"),
        ("tcp://[::1]:5555", "::1", "5555"),
        ("tcp://eth0;10.0.0.1:5555", "10.0.0.1", "5555"),
    ])
    func readsHostAndPortOfATCPEndpoint(_ endpoint: String, _ host: String, _ port: String) throws {
        let probe = try #require(CoordinatorProbe(endpoint: endpoint))
        #expect(probe.host == host && probe.port == port)
    }

    @Test(arguments: ["ipc:///tmp/farm", "inproc://farm", "tcp://*:5555", "tcp://head", "tcp://head:port"])
    func probesNothingElse(_ endpoint: String) {
        #expect(CoordinatorProbe(endpoint: endpoint) == nil)
    }

    /// A listening port answers by the next tick; a refusing one never does. Both ports stay bound
    /// until the end, so no test running beside this one can take the refusing port meanwhile.
    @Test func answersOnlyWhenThePortAccepts() throws {
        let listener = try Self.boundLoopbackSocket()
        defer { close(listener.descriptor) }
        #expect(listen(listener.descriptor, 4) == 0)
        let open = try #require(CoordinatorProbe(endpoint: "tcp://127.0.0.1:\(listener.port)"))
        open.start()
        // The handshake completes in the kernel's backlog; the worker looks a heartbeat later.
        var answered = false
        let deadline = ContinuousClock.now + .seconds(5)
        while !answered, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.01)
            answered = open.answered()
            if !answered { open.start() }
        }
        #expect(answered)

        // Bound, not listening: a connect to it is refused.
        let refusing = try Self.boundLoopbackSocket()
        defer { close(refusing.descriptor) }
        let closed = try #require(CoordinatorProbe(endpoint: "tcp://127.0.0.1:\(refusing.port)"))
        closed.start()
        #expect(!closed.answered())
        #expect(!closed.answered(), "a judged probe is closed")
    }

    private static func boundLoopbackSocket() throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        try #require(descriptor >= 0 && bound)
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }
}
