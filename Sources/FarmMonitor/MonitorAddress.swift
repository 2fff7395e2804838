/// `--metrics-address HOST:PORT`: where the coordinator serves /metrics and the dashboard. Port 0
/// asks the OS for a free one (the bound port is logged and returned by `MonitorServer.start`).
public struct MonitorAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:9464`, `0.0.0.0:9464`, `[::1]:9464`, `localhost:0`.
    public init(parsing text: String) throws(MonitorError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw .badAddress(text, reason: "expected HOST:PORT, e.g. 127.0.0.1:9464")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains("/") else {
            throw .badAddress(text, reason: "the host is missing (use 0.0.0.0 to listen on every interface)")
        }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw .badAddress(text, reason: "the port must be a number from 0 to 65535")
        }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The dashboard's URL as a browser on this machine would open it.
    public var url: String {
        let visible = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return "http://\(MonitorAddress(host: visible, port: port))/"
    }
}
