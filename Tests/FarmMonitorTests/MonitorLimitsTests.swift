import FarmCore
import FarmCoordinator
import FarmTestSupport
import Foundation
import Testing
@testable import FarmMonitor
#if canImport(Glibc)
import Glibc
#endif

/// Issue 19, finding 5: idle and trickling connections are closed, connections are capped, and a
/// clip is streamed from disk in chunks, so HTTP clients cannot exhaust descriptors or memory.
@Suite(.serialized)
struct MonitorLimitsTests {
    /// A raw TCP connection to the monitor that sends only what a test writes.
    final class RawConnection {
        let fd: Int32

        init(port: Int) throws {
            fd = try TCPSocket.connect(port: port)
            var wait = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        func write(_ text: String) {
            _ = Array(text.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        /// Reads until the server closes the connection (true) or 10 s pass (false), discarding data.
        func closedByServer() -> Bool {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count == 0 { return true }
                if count < 0 { return errno == ECONNRESET }
            }
        }
    }

    static func server(_ limits: MonitorLimits, clip: Data = Data("mp4".utf8)) throws -> (MonitorFixture, MonitorServer, Int) {
        let fixture = try MonitorFixture()
        try fixture.submit(clips: 1)
        try fixture.ready("w1")
        _ = try fixture.file("w1", bytes: clip)
        fixture.publish()
        let server = MonitorServer(address: MonitorAddress(host: "127.0.0.1", port: 0), metrics: fixture.metrics,
                                   sources: fixture.sources, limits: limits)
        return (fixture, server, try server.start().port)
    }

    @Test func connectionsOverTheCapAreClosedAndServingGoesOn() throws {
        let (fixture, server, port) = try Self.server(MonitorLimits(maxConnections: 4, headerTimeout: 60, idleTimeout: 60))
        defer {
            server.shutdown()
            withExtendedLifetime(fixture) {}
        }
        var held = try (0..<4).map { _ in try RawConnection(port: port) }
        let started = ContinuousClock.now
        #expect(try RawConnection(port: port).closedByServer(), "a fifth connection was kept")
        #expect(ContinuousClock.now - started < .seconds(5))
        // Once they go, clients are served again.
        held.removeAll()
        let deadline = ContinuousClock.now + .seconds(10)
        var status = 0
        while status != 200, ContinuousClock.now < deadline {
            status = (try? HTTPClient.send(method: "GET", port: port, target: "/metrics", timeout: 5))?.status ?? 0
        }
        #expect(status == 200)
    }

    @Test func aTricklingRequestAndAnIdleConnectionAreClosed() throws {
        let (fixture, server, port) = try Self.server(MonitorLimits(headerTimeout: 0.3, idleTimeout: 0.5))
        defer {
            server.shutdown()
            withExtendedLifetime(fixture) {}
        }
        let trickling = try RawConnection(port: port)
        trickling.write("GET /metrics HTTP/1.1\r\nHost: x\r\n")
        let started = ContinuousClock.now
        #expect(trickling.closedByServer())
        #expect(ContinuousClock.now - started < .seconds(5))
        let idle = try RawConnection(port: port)
        #expect(idle.closedByServer())
    }

    @Test func aClipIsStreamedInChunksNotHeldWhole() throws {
        let block = Data((0..<(64 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let video = Data([Data](repeating: block, count: 128).joined())
        let (fixture, server, port) = try Self.server(MonitorLimits(idleTimeout: 30), clip: video)
        defer {
            server.shutdown()
            withExtendedLifetime(fixture) {}
        }
        let whole = try HTTPClient.send(method: "GET", port: port, target: "/clips/1/0.mp4")
        #expect(whole.status == 200, "\(whole.status) \(String(decoding: whole.body.prefix(200), as: UTF8.self))")
        #expect(whole.body == video)
        // Twenty clients ask for it and read nothing: each holds at most a chunk in the monitor,
        // not the 8 MB clip (held whole, they would add 160 MB).
        let before = ProcessMemory.residentBytes()
        let readers = try (0..<20).map { _ in try RawConnection(port: port) }
        for reader in readers { reader.write("GET /clips/1/0.mp4 HTTP/1.1\r\nHost: x\r\n\r\n") }
        // Not synchronisation: time for the worst case (the server reading ahead of the unread
        // sockets) to happen before memory is measured.
        _ = try HTTPClient.send(method: "GET", port: port, target: "/metrics")
        Thread.sleep(forTimeInterval: 1)
        let grown = ProcessMemory.residentBytes() - before
        #expect(grown < 64 << 20, "resident memory grew \(grown >> 20) MiB")
        withExtendedLifetime(readers) {}
    }
}
