import Testing
@testable import FarmMonitor

struct MonitorAddressTests {
    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464, "http://127.0.0.1:9464/"),
        ("0.0.0.0:80", "0.0.0.0", 80, "http://127.0.0.1:80/"),
        ("[::1]:9464", "::1", 9464, "http://[::1]:9464/"),
        ("localhost:0", "localhost", 0, "http://localhost:0/"),
    ])
    func parses(_ text: String, _ host: String, _ port: Int, _ url: String) throws {
        let address = try MonitorAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.url == url)
    }

    @Test(arguments: ["9464", ":9464", "host:", "host:http", "host:70000", "a/b:1"])
    func refuses(_ text: String) {
        #expect(throws: MonitorError.self) { try MonitorAddress(parsing: text) }
    }
}
