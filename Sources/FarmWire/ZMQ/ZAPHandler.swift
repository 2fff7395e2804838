import CZeroMQ
import Foundation
import Synchronization

/// The ZeroMQ Authentication Protocol handler (RFC 27) of one context: a thread serving
/// `inproc://zeromq.zap.01`, asked by libzmq during each CURVE handshake on that context's server
/// sockets whether the client's public key may connect to the socket's ZAP domain. An accepted key
/// becomes the connection's user id (`ZMQSocket.receiveMessage`'s `userID`). Start it before any
/// CURVE server socket binds; `stop()` joins the thread.
public final class ZAPHandler: @unchecked Sendable {
    public static let endpoint = "inproc://zeromq.zap.01"

    /// What the handler asks per handshake: may this key join this domain? A reason when not.
    public typealias Policy = @Sendable (_ domain: String, _ key: String) -> String?

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
    public init(context: ZMQContext, policy: @escaping Policy,
                onDecision: @escaping @Sendable (_ domain: String, _ key: String, _ refusal: String?) -> Void = { _, _, _ in }) throws(SocketError) {
        let shared = try Shared()
        self.shared = shared
        let thread = Thread {
            defer { shared.finished.signal() }
            let socket: ZMQSocket
            do throws(SocketError) {
                socket = try ZMQSocket(context: context, kind: .rep)
                try socket.bind(Self.endpoint)
            } catch {
                shared.bindFailure.withLock { $0 = error }
                shared.bound.signal()
                return
            }
            shared.bound.signal()
            defer { socket.close() }
            while !shared.stopRequested.withLock({ $0 }) {
                guard let ready = try? ZMQPoller.poll([.socket(socket), .descriptor(shared.wake.readDescriptor)],
                                                      timeout: nil),
                      ready[0], let request = try? socket.receive(timeout: .zero) else { continue }
                try? socket.send(Self.answer(request, policy: policy, onDecision: onDecision), wait: true)
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
    static func answer(_ request: [Data], policy: Policy,
                       onDecision: @Sendable (String, String, String?) -> Void) -> [Data] {
        // version, request id, domain, address, identity, mechanism, credentials...
        guard request.count >= 6 else {
            return [Data("1.0".utf8), request.count > 1 ? request[1] : Data(), Data("500".utf8),
                    Data("malformed ZAP request".utf8), Data(), Data()]
        }
        let requestID = request[1]
        let domain = String(decoding: request[2], as: UTF8.self)
        let mechanism = String(decoding: request[5], as: UTF8.self)
        func reply(_ code: String, _ text: String, user: String = "") -> [Data] {
            [Data("1.0".utf8), requestID, Data(code.utf8), Data(text.utf8), Data(user.utf8), Data()]
        }
        guard mechanism == "CURVE", request.count >= 7, request[6].count == 32 else {
            onDecision(domain, "", "mechanism \(mechanism) is not CURVE")
            return reply("400", "CURVE required")
        }
        var buffer = [CChar](repeating: 0, count: 41)
        request[6].withUnsafeBytes { raw in _ = zmq_z85_encode(&buffer, raw.bindMemory(to: UInt8.self).baseAddress, 32) }
        let key = text(buffer)
        let refusal = policy(domain, key)
        onDecision(domain, key, refusal)
        if let refusal { return reply("400", refusal) }
        return reply("200", "OK", user: key)
    }
}
