import CZeroMQ
import Foundation

/// One ZeroMQ socket (ROUTER, DEALER or PAIR), closed with linger 0 on `close()` or deinit.
/// ZeroMQ sockets are not thread-safe: use each socket from one thread only, so this type is not
/// `Sendable`; create it on the thread that uses it.
public final class ZMQSocket {
    public enum Kind: Sendable {
        case router, dealer, pair, rep

        var rawValue: Int32 {
            switch self {
            case .rep: ZMQ_REP
            case .router: ZMQ_ROUTER
            case .dealer: ZMQ_DEALER
            case .pair: ZMQ_PAIR
            }
        }
    }

    public let kind: Kind
    private let context: ZMQContext
    private(set) var handle: UnsafeMutableRawPointer?

    /// - Parameters:
    ///   - maxFrameBytes: libzmq's hard cap (`ZMQ_MAXMSGSIZE`, checked per frame): a peer sending a
    ///     bigger frame is disconnected before the bytes are buffered. Keep it above the protocol's
    ///     own limits (`WireLimits`) so ordinary oversize gets a typed error reply instead.
    public init(context: ZMQContext, kind: Kind, maxFrameBytes: Int = WireLimits.socketHardCapBytes) throws(SocketError) {
        guard let handle = zmq_socket(context.handle, kind.rawValue) else { throw SocketError.last("zmq_socket") }
        self.kind = kind
        self.context = context
        self.handle = handle
        try setOption(ZMQ_LINGER, Int32(0), "set ZMQ_LINGER")
        try setOption(ZMQ_MAXMSGSIZE, Int64(maxFrameBytes), "set ZMQ_MAXMSGSIZE")
        if kind == .router {
            // Sending to a peer that has gone fails loudly (EHOSTUNREACH) instead of vanishing.
            try setOption(ZMQ_ROUTER_MANDATORY, Int32(1), "set ZMQ_ROUTER_MANDATORY")
            // A worker reconnecting with its identity takes it over from its dead connection.
            try setOption(ZMQ_ROUTER_HANDOVER, Int32(1), "set ZMQ_ROUTER_HANDOVER")
        }
    }

    deinit { close() }

    /// Closes, dropping anything still unsent after `linger` (default: drop at once). Idempotent.
    /// A leaving worker lingers briefly so its last RESULT and DISCONNECT reach the coordinator.
    public func close(linger: Duration = .zero) {
        if let handle {
            if linger > .zero {
                var milliseconds = Int32(clamping: linger.wholeMilliseconds)
                zmq_setsockopt(handle, ZMQ_LINGER, &milliseconds, MemoryLayout<Int32>.size)
            }
            zmq_close(handle)
            self.handle = nil
        }
    }

    /// Binds and returns the resolved endpoint (`tcp://127.0.0.1:0` → the port the OS chose).
    @discardableResult
    public func bind(_ endpoint: String) throws(SocketError) -> String {
        let socket = try open("bind \(endpoint)")
        guard zmq_bind(socket, endpoint) == 0 else { throw SocketError.last("bind \(endpoint)") }
        return try lastEndpoint()
    }

    public func connect(_ endpoint: String) throws(SocketError) {
        let socket = try open("connect \(endpoint)")
        guard zmq_connect(socket, endpoint) == 0 else { throw SocketError.last("connect \(endpoint)") }
    }

    /// The identity a ROUTER peer sees for this socket; set before `connect`.
    public func setIdentity(_ identity: Data) throws(SocketError) {
        let socket = try open("set ZMQ_ROUTING_ID")
        let rc = identity.withUnsafeBytes { zmq_setsockopt(socket, ZMQ_ROUTING_ID, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw SocketError.last("set ZMQ_ROUTING_ID") }
    }

    /// Makes this socket a CURVE server (set before `bind`): peers must complete the CurveZMQ
    /// handshake, and the ZAP handler (`ZAPHandler`) decides for `zapDomain` which client keys may.
    public func useCurveServer(secretKey: CurveKey, zapDomain: String) throws(SocketError) {
        try setOption(ZMQ_CURVE_SERVER, Int32(1), "set ZMQ_CURVE_SERVER")
        try setText(ZMQ_CURVE_SECRETKEY, secretKey.z85, "set ZMQ_CURVE_SECRETKEY")
        try setText(ZMQ_ZAP_DOMAIN, zapDomain, "set ZMQ_ZAP_DOMAIN")
    }

    /// At most `messages` received messages wait in this socket for `receive` (`ZMQ_RCVHWM`; set
    /// before `connect`); past them libzmq stops reading the connection, and the sender's queue grows.
    public func setReceiveQueueLimit(messages: Int32) throws(SocketError) {
        try setOption(ZMQ_RCVHWM, messages, "set ZMQ_RCVHWM")
    }

    /// Publishes this socket's `watch` events (`ConnectionEvent`) on the inproc `endpoint`, for one
    /// PAIR socket to read there (`ZAPHandler` does). Set before `bind` or `connect`.
    public func monitorConnections(on endpoint: String, watch: ConnectionEvent.Watch = .connections) throws(SocketError) {
        let socket = try open("monitor \(endpoint)")
        guard zmq_socket_monitor(socket, endpoint, watch.events) == 0 else {
            throw SocketError.last("monitor \(endpoint)")
        }
    }

    /// Has the ZAP handler (`ZAPHandler`) asked under `domain` for each peer's handshake on this
    /// NULL-mechanism socket (set before `bind`), so it may refuse peers without CURVE too.
    public func useZAPDomain(_ domain: String) throws(SocketError) {
        try setText(ZMQ_ZAP_DOMAIN, domain, "set ZMQ_ZAP_DOMAIN")
    }

    /// Makes this socket a CURVE client of the server whose public key is `curve.serverKey` (set
    /// before `connect`): traffic is encrypted, and the server sees `curve.keys.publicKey`.
    public func useCurveClient(_ curve: CurveClientKeys) throws(SocketError) {
        try setText(ZMQ_CURVE_SERVERKEY, curve.serverKey.z85, "set ZMQ_CURVE_SERVERKEY")
        try setText(ZMQ_CURVE_PUBLICKEY, curve.keys.publicKey.z85, "set ZMQ_CURVE_PUBLICKEY")
        try setText(ZMQ_CURVE_SECRETKEY, curve.keys.secretKey.z85, "set ZMQ_CURVE_SECRETKEY")
    }

    /// The endpoint most recently bound or connected (`ZMQ_LAST_ENDPOINT`).
    public func lastEndpoint() throws(SocketError) -> String {
        let socket = try open("get ZMQ_LAST_ENDPOINT")
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        guard zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            throw SocketError.last("get ZMQ_LAST_ENDPOINT")
        }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sends all frames as one multipart message (atomic: all or nothing reach the peer).
    /// With `wait: false`, a full queue or an unroutable peer throws instead of blocking
    /// (check `SocketError.isUnroutable`). With `counting`, each frame's bytes count in those
    /// counters until libzmq has written them out or dropped them; libzmq then keeps the buffer
    /// made here instead of a copy of its own.
    public func send(_ frames: [Data], wait: Bool = false, counting counters: [OutboundBytes] = []) throws(SocketError) {
        let socket = try open("send")
        precondition(!frames.isEmpty, "a message has at least one frame")
        for (index, frame) in frames.enumerated() {
            var flags: Int32 = wait ? 0 : ZMQ_DONTWAIT
            if index < frames.count - 1 { flags |= ZMQ_SNDMORE }
            var message = zmq_msg_t()
            if counters.isEmpty || frame.isEmpty {
                guard zmq_msg_init_size(&message, frame.count) == 0 else { throw SocketError.last("make frame \(index)") }
                if !frame.isEmpty { frame.copyBytes(to: zmq_msg_data(&message).assumingMemoryBound(to: UInt8.self), count: frame.count) }
            } else {
                guard let buffer = malloc(frame.count) else { throw SocketError(operation: "make frame \(index)", errno: ENOMEM) }
                frame.copyBytes(to: buffer.assumingMemoryBound(to: UInt8.self), count: frame.count)
                let release = Unmanaged.passRetained(OutboundRelease(counters: counters, count: frame.count))
                let made = zmq_msg_init_data(&message, buffer, frame.count, { data, hint in
                    free(data)
                    if let hint { Unmanaged<OutboundRelease>.fromOpaque(hint).release() }
                }, release.toOpaque())
                guard made == 0 else {
                    free(buffer)
                    release.release()
                    throw SocketError.last("make frame \(index)")
                }
            }
            if zmq_msg_send(&message, socket, flags) == -1 {
                let error = SocketError.last("send frame \(index) of \(frames.count)")
                zmq_msg_close(&message)
                throw error
            }
        }
    }

    /// Receives one whole multipart message, or nil when none is waiting (`timeout` of zero) or none
    /// arrives within `timeout`. A nil `timeout` waits indefinitely.
    public func receive(timeout: Duration? = .zero) throws(SocketError) -> [Data]? {
        try receiveMessage(timeout: timeout)?.frames
    }

    /// As `receive`, with the ZAP user id of the peer that sent it: on a CURVE server socket, the
    /// Z85 public key `ZAPHandler` accepted it with; nil without CURVE.
    public func receiveMessage(timeout: Duration? = .zero) throws(SocketError) -> (frames: [Data], userID: String?)? {
        if timeout != .zero {
            guard try ZMQPoller.poll([.socket(self)], timeout: timeout)[0] else { return nil }
        }
        let socket = try open("receive")
        var frames: [Data] = []
        var userID: String?
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        while true {
            let flags: Int32 = frames.isEmpty ? ZMQ_DONTWAIT : 0
            if zmq_msg_recv(&message, socket, flags) == -1 {
                let error = zmq_errno()
                if frames.isEmpty && (error == EAGAIN || error == EINTR) { return nil }
                throw SocketError(operation: "receive frame \(frames.count)", errno: error)
            }
            // A ROUTER makes the identity frame itself, without the connection's metadata: take the
            // property from the first frame that carries it.
            if userID == nil, let property = zmq_msg_gets(&message, "User-Id") {
                userID = String(cString: property)
            }
            let size = zmq_msg_size(&message)
            frames.append(size == 0 ? Data() : Data(bytes: zmq_msg_data(&message), count: size))
            if zmq_msg_more(&message) == 0 { return (frames, userID.flatMap { $0.isEmpty ? nil : $0 }) }
        }
    }

    private func open(_ operation: String) throws(SocketError) -> UnsafeMutableRawPointer {
        guard let handle else { throw SocketError(operation: operation, errno: ENOTSOCK) }
        return handle
    }

    private func setText(_ option: Int32, _ value: String, _ operation: String) throws(SocketError) {
        let bytes = Array(value.utf8)
        guard zmq_setsockopt(handle, option, bytes, bytes.count) == 0 else { throw SocketError.last(operation) }
    }

    private func setOption<T: BitwiseCopyable>(_ option: Int32, _ value: T, _ operation: String) throws(SocketError) {
        let rc = withUnsafeBytes(of: value) { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw SocketError.last(operation) }
    }
}
