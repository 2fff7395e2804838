import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Blocking HTTP/1.1 for tests, over a plain socket: one request per connection (`Connection:
/// close`), sent exactly as written (no URL normalisation, so a test can send `..` and `%2e` as an
/// attacker would). Used for the Prometheus API, WebDriver and the dashboard. (Foundation's
/// URLSession on Linux refuses chromedriver's response headers, "Failed writing header".)
public enum HTTPClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public struct Response: Sendable {
        public var status: Int
        /// Lower-cased names.
        public var headers: [String: String]
        public var body: Data
    }

    /// `url` is `http://127.0.0.1:PORT/target`; only loopback IPv4 hosts are needed here.
    public static func request(_ method: String, _ url: String, json body: Any? = nil,
                               headers: [String: String] = [:], timeout: Int = 120) throws -> Response {
        guard url.hasPrefix("http://") else { throw Failure(description: "not an http:// URL: \(url)") }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let target = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) else {
            throw Failure(description: "no port in \(url)")
        }
        let host = String(authority[..<colon]) == "localhost" ? "127.0.0.1" : String(authority[..<colon])
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        var fields = headers
        if body != nil { fields["Content-Type"] = "application/json" }
        return try send(method: method, host: host, port: port, target: target, headers: fields, body: payload,
                        timeout: timeout)
    }

    /// A request whose answer is a JSON object.
    public static func json(_ method: String, _ url: String, body: Any? = nil) throws -> [String: Any] {
        let response = try request(method, url, json: body ?? (method == "POST" ? [String: Any]() : nil))
        guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            throw Failure(description: "\(method) \(url) → \(response.status): not a JSON object: "
                + String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        return object
    }

    public static func send(method: String, host: String = "127.0.0.1", port: Int, target: String,
                            headers: [String: String] = [:], body: Data = Data(), timeout: Int = 120) throws -> Response {
        let fd = try TCPSocket.connect(host: host, port: port)
        defer { close(fd) }
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        let request = Array((head + "\r\n").utf8) + Array(body)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(description: "send to \(host):\(port): errno \(errno)") }
            sent += count
        }
        // Read until the response is complete by its own framing: some servers (chromedriver) keep
        // the connection open whatever `Connection: close` asked.
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !isComplete(received, method: method) {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 { throw Failure(description: "no answer from \(host):\(port)\(target) within \(timeout) s") }
            if count == 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        return try parse(received, what: "\(method) \(host):\(port)\(target)")
    }

    private static func isComplete(_ received: Data, method: String) -> Bool {
        guard let split = received.range(of: Data("\r\n\r\n".utf8)) else { return false }
        let head = String(decoding: received[..<split.lowerBound], as: UTF8.self).lowercased()
        let bodyBytes = received.distance(from: split.upperBound, to: received.endIndex)
        if method == "HEAD" { return true }
        for line in head.components(separatedBy: "\r\n") where line.hasPrefix("content-length:") {
            return bodyBytes >= Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        if head.contains("transfer-encoding: chunked") {
            return received[split.upperBound...].range(of: Data("\r\n0\r\n\r\n".utf8)) != nil
                || received[split.upperBound...].starts(with: Data("0\r\n\r\n".utf8))
        }
        return false
    }

    private static func parse(_ received: Data, what: String) throws -> Response {
        guard let split = received.range(of: Data("\r\n\r\n".utf8)) else {
            throw Failure(description: "\(what): no response head in \(received.count) bytes")
        }
        let lines = String(decoding: received[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "\(what): bad status line \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(received[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = try unchunk(body, what: what) }
        return Response(status: status, headers: headers, body: body)
    }

    private static func unchunk(_ data: Data, what: String) throws -> Data {
        var output = Data()
        var rest = data[...]
        while let lineEnd = rest.range(of: Data("\r\n".utf8)) {
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(description: "\(what): bad chunk size \(sizeText)")
            }
            if size == 0 { return output }
            let start = lineEnd.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size else { break }
            let end = rest.index(start, offsetBy: size)
            output.append(rest[start..<end])
            rest = rest[rest.index(end, offsetBy: min(2, rest.distance(from: end, to: rest.endIndex)))...]
        }
        throw Failure(description: "\(what): chunked body ended early")
    }
}
