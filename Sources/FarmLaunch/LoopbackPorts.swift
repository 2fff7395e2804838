import FarmWire

/// Loopback endpoints on ports nobody listens on right now, for a local farm's sockets.
public enum LoopbackPorts {
    /// `tcp://127.0.0.1:PORT`.
    public static func freeEndpoint() throws -> String {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, kind: .router)
        defer { socket.close() }
        return try socket.bind("tcp://127.0.0.1:*")
    }

    /// `127.0.0.1:PORT`, for an HTTP listener (the dashboard).
    public static func freeAddress() throws -> String {
        String(try freeEndpoint().dropFirst("tcp://".count))
    }
}
