import FarmWire

/// DEALER connections to a loopback endpoint from another loopback address (`127.0.0.N`), each
/// completing its handshake and staying: a flood from one host, as the coordinator sees it.
enum ConnectionFlood {
    static func open(to endpoint: String, from address: Int, count: Int, context: ZMQContext) throws -> [ZMQSocket] {
        let port = endpoint.split(separator: ":").last.map(String.init) ?? ""
        return try (0..<count).map { _ in
            let socket = try ZMQSocket(context: context, kind: .dealer)
            try socket.connect("tcp://127.0.0.\(address):0;127.0.0.1:\(port)")
            return socket
        }
    }
}
