import CZeroMQ
import Foundation
import Synchronization

/// The ZeroMQ Authentication Protocol handler (RFC 27) of one context: a thread serving
/// `inproc://zeromq.zap.01`, asked by libzmq during each handshake on that context's sockets that
/// have a ZAP domain (CURVE servers, and NULL ones given one with `useZAPDomain`) whether the peer
/// may connect. An accepted CURVE key becomes the connection's user id (`ZMQSocket.receiveMessage`'s
/// `userID`). Start it before such a socket binds; `stop()` joins the thread.
public final class ZAPHandler: @unchecked Sendable {
    public static let endpoint = "inproc://zeromq.zap.01"

    /// One handshake asking to connect.
    public struct Request: Sendable, Equatable {
        /// The socket's ZAP domain.
        public var domain: String
        /// The peer's IP address.
        public var address: String
        /// `NULL`, `PLAIN` or `CURVE`.
        public var mechanism: String
        /// The peer's Z85 public key under CURVE; nil otherwise.
        public var curveKey: String?
        /// Live connections the domain's socket has from `address`, this one included (0 when
        /// the domain's socket is not monitored).
        public var connectionsFromAddress: Int

        public init(domain: String, address: String, mechanism: String, curveKey: String?, connectionsFromAddress: Int) {
            self.domain = domain
            self.address = address
            self.mechanism = mechanism
            self.curveKey = curveKey
            self.connectionsFromAddress = connectionsFromAddress
        }
    }

    /// What the handler asks per handshake: may this peer connect? A reason when not.
    public typealias Policy = @Sendable (_ request: Request) -> String?

    /// What the handler thread and its owner share.
    private final class Shared: Sendable {
        let stopRequested = Mutex(false)
        let bindFailure = Mutex<SocketError?>(nil)
        let bound = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let wake: WakePipe

        init() throws(SocketError) { wake = try WakePipe() }
    }

    private let shared: Shared
    private var thread: Thread?

    /// Binds the ZAP endpoint on `context` (on the handler's own thread) and returns once it is bound.
    /// `monitors`: for a ZAP domain, the inproc endpoint its socket publishes its connections on
    /// (`ZMQSocket.monitorConnections`, called first), so each request carries how many live
    /// connections that socket has from the peer's address.
    public init(context: ZMQContext, monitors: [String: String] = [:], policy: @escaping Policy) throws(SocketError) {
        let shared = try Shared()
        self.shared = shared
        let thread = Thread {
            defer { shared.finished.signal() }
            let socket: ZMQSocket
            var watched: [(domain: String, socket: ZMQSocket)] = []
            do throws(SocketError) {
                socket = try ZMQSocket(context: context, kind: .rep)
                try socket.bind(Self.endpoint)
                for (domain, endpoint) in monitors {
                    let events = try ZMQSocket(context: context, kind: .pair)
                    try events.connect(endpoint)
                    watched.append((domain, events))
                }
            } catch {
                shared.bindFailure.withLock { $0 = error }
                shared.bound.signal()
                return
            }
            shared.bound.signal()
            defer {
                socket.close()
                for (_, events) in watched { events.close() }
            }
            var ledgers: [String: ConnectionLedger] = [:]
            /// Every event waiting, read before a request is answered, so its own connection counts.
            func readEvents() {
                for (domain, events) in watched {
                    while let frames = try? events.receive(timeout: .zero) {
                        guard let event = ConnectionEvent(frames: frames) else { continue }
                        switch event.kind {
                        case .accepted:
                            if let address = PeerAddress.of(descriptor: event.descriptor) {
                                ledgers[domain, default: ConnectionLedger()].accepted(event.descriptor, from: address)
                            }
                        case .disconnected:
                            ledgers[domain]?.disconnected(event.descriptor)
                        case .handshakeFailed:
                            break  // not watched on a server socket
                        }
                    }
                }
            }
            let polled = [ZMQPoller.Item.socket(socket), .descriptor(shared.wake.readDescriptor)]
                + watched.map { ZMQPoller.Item.socket($0.socket) }
            while !shared.stopRequested.withLock({ $0 }) {
                guard let ready = try? ZMQPoller.poll(polled, timeout: nil) else { continue }
                readEvents()
                guard ready[0], let request = try? socket.receive(timeout: .zero) else { continue }
                try? socket.send(Self.answer(request, policy: policy, connections: { domain, address in
                    ledgers[domain]?.prune(address) { PeerAddress.of(descriptor: $0) == address } ?? 0
                }), wait: true)
            }
        }
        thread.name = "farm.zap"
        self.thread = thread
        thread.start()
        shared.bound.wait()
        if let error = shared.bindFailure.withLock({ $0 }) {
            shared.finished.wait()
            self.thread = nil
            throw error
        }
    }

    deinit { stop() }

    /// Stops the handler and waits for its thread to end. Idempotent.
    public func stop() {
        guard thread != nil else { return }
        shared.stopRequested.withLock { $0 = true }
        shared.wake.signal()
        shared.finished.wait()
        thread = nil
    }

    /// RFC 27's reply: version, request id, status code and text, user id, metadata.
    /// `connections`: the live connections a domain's socket has from an address.
    static func answer(_ request: [Data], policy: Policy, connections: (_ domain: String, _ address: String) -> Int) -> [Data] {
        // version, request id, domain, address, identity, mechanism, credentials...
        guard request.count >= 6 else {
            return [Data("1.0".utf8), request.count > 1 ? request[1] : Data(), Data("500".utf8),
                    Data("malformed ZAP request".utf8), Data(), Data()]
        }
        let requestID = request[1]
        func reply(_ code: String, _ text: String, user: String = "") -> [Data] {
            [Data("1.0".utf8), requestID, Data(code.utf8), Data(text.utf8), Data(user.utf8), Data()]
        }
        let mechanism = String(decoding: request[5], as: UTF8.self)
        var curveKey: String?
        if mechanism == "CURVE" {
            guard request.count >= 7, request[6].count == 32 else { return reply("400", "malformed CURVE credentials") }
            var buffer = [CChar](repeating: 0, count: 41)
            request[6].withUnsafeBytes { raw in _ = zmq_z85_encode(&buffer, raw.bindMemory(to: UInt8.self).baseAddress, 32) }
            curveKey = text(buffer)
        }
        let domain = String(decoding: request[2], as: UTF8.self)
        let address = String(decoding: request[3], as: UTF8.self)
        let asked = Request(domain: domain, address: address, mechanism: mechanism, curveKey: curveKey,
                            connectionsFromAddress: connections(domain, address))
        if let refusal = policy(asked) { return reply("400", refusal) }
        return reply("200", "OK", user: curveKey ?? "")
    }
}
