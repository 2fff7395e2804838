import Glibc

/// A cheap look, while a worker waits out its reconnect backoff, at whether the coordinator's port
/// accepts TCP connections again: a non-blocking connect, judged on the next heartbeat tick and
/// then closed. It sends nothing, so the coordinator sees only an accept and a close. Only `tcp://`
/// endpoints can be probed; the host is resolved on every start, while the worker has no socket.
final class CoordinatorProbe {
    let host: String
    let port: String
    private var descriptor: Int32 = -1

    /// Nil for an endpoint that is not `tcp://[source;]host:port`.
    init?(endpoint: String) {
        guard endpoint.hasPrefix("tcp://") else { return nil }
        var address = endpoint.dropFirst("tcp://".count)
        if let source = address.lastIndex(of: ";") { address = address[address.index(after: source)...] }
        guard let colon = address.lastIndex(of: ":") else { return nil }
        var host = address[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        let port = address[address.index(after: colon)...]
        guard !host.isEmpty, host != "*", !port.isEmpty, port.allSatisfy(\.isNumber) else { return nil }
        self.host = String(host)
        self.port = String(port)
    }

    deinit { cancel() }

    /// Starts a connect, dropping one still pending. A host that does not resolve starts nothing.
    func start() {
        cancel()
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, port, &hints, &found) == 0, let first = found else { return }
        defer { freeaddrinfo(found) }
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let socket = Glibc.socket(first.pointee.ai_family, kind, 0)
        guard socket >= 0 else { return }
        if connect(socket, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 || errno == EINPROGRESS {
            descriptor = socket
        } else {
            close(socket)
        }
    }

    /// True when the pending connect has completed; the probe is closed either way.
    func answered() -> Bool {
        guard descriptor >= 0 else { return false }
        defer { cancel() }
        var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        guard poll(&entry, 1, 0) == 1, entry.revents & Int16(POLLOUT) != 0 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0
    }

    func cancel() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }
}
