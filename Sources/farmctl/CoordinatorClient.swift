import ArgumentParser
import FarmCore
import FarmWire
import Foundation

/// `--coordinator`, shared by the commands that talk to a running coordinator. The endpoint is the
/// flag, else `FARM_COORDINATOR`, else `client_endpoint` in `configs/farm.yaml`.
struct CoordinatorOptions: ParsableArguments {
    @Option(help: "The coordinator's client endpoint, e.g. tcp://head-node:5556 (default: $FARM_COORDINATOR, else farm.yaml's client_endpoint).")
    var coordinator: String?

    @Option(help: "Seconds to wait for each reply.")
    var timeout: Double = 10

    @Option(name: .customLong("coordinator-key"),
            help: "The coordinator's CURVE public key, Z85, on an authenticated farm (default: $FARM_COORDINATOR_KEY, else farm.yaml's coordinator_key).")
    var coordinatorKey: String?

    @Option(name: .customLong("key-file"),
            help: "This client's CURVE key pair file (default: $FARM_CLIENT_KEY_FILE, else farm.yaml's client_key_file).")
    var keyFile: String?

    @OptionGroup var config: ConfigOptions

    func endpoint() throws -> String {
        if let coordinator, !coordinator.isEmpty { return coordinator }
        if let fromEnvironment = ProcessInfo.processInfo.environment["FARM_COORDINATOR"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return try config.load().farm.clientEndpoint
    }

    func connect() throws -> CoordinatorClient {
        try CoordinatorClient(endpoint: endpoint(), timeout: timeout, curve: curveKeys())
    }

    /// The CURVE keys from the flags, else the environment, else farm.yaml; nil for an open farm.
    func curveKeys() throws -> CurveClientKeys? {
        let environment = ProcessInfo.processInfo.environment
        let key = coordinatorKey ?? environment["FARM_COORDINATOR_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let file = keyFile ?? environment["FARM_CLIENT_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let farm = (key == nil || file == nil) ? try config.load().farm : nil
        do {
            return try CurveClientKeys.resolve(coordinatorKey: key ?? farm?.coordinatorKey, keyFile: file ?? farm?.clientKeyFile)
        } catch {
            throw CommandFailure(message: "farmctl: \(error)")
        }
    }
}

/// One DEALER socket to the coordinator's client endpoint; each request gets exactly one reply.
/// The coordinator may refuse a connection at its handshake (too many from this address, short of
/// descriptors, a CURVE key it does not allow), and libzmq never connects that socket again: a
/// refusal seen on the socket's monitor opens a new one and sends the request again.
final class CoordinatorClient {
    let endpoint: String
    let timeout: Double
    let curve: CurveClientKeys?
    private let context: ZMQContext
    private var connection: Connection

    /// A socket and the monitor that reports its refused handshakes.
    private struct Connection {
        let socket: ZMQSocket
        let handshakes: ZMQSocket

        func close() {
            socket.close()
            handshakes.close()
        }
    }

    init(endpoint: String, timeout: Double, curve: CurveClientKeys? = nil) throws {
        self.endpoint = endpoint
        self.timeout = timeout
        self.curve = curve
        do {
            context = try ZMQContext()
            connection = try Self.open(context, endpoint, curve, number: 0)
        } catch {
            throw CommandFailure(message: "cannot connect to the coordinator at \(endpoint): \(error)")
        }
    }

    private var opened = 0
    private var socket: ZMQSocket { connection.socket }

    private static func open(_ context: ZMQContext, _ endpoint: String, _ curve: CurveClientKeys?, number: Int) throws -> Connection {
        let socket = try ZMQSocket(context: context, kind: .dealer)
        if let curve { try socket.useCurveClient(curve) }
        let monitor = "inproc://farmctl.handshakes.\(number)"
        try socket.monitorConnections(on: monitor, watch: .handshakeFailures)
        let handshakes = try ZMQSocket(context: context, kind: .pair)
        try handshakes.connect(monitor)
        try socket.connect(endpoint)
        return Connection(socket: socket, handshakes: handshakes)
    }

    /// Closes the socket and opens another (nothing sent on the old one is answered on the new).
    private func reopen() throws {
        connection.close()
        opened += 1
        connection = try Self.open(context, endpoint, curve, number: opened)
    }

    /// The OK body, or a `CommandFailure` carrying the coordinator's ERROR message verbatim.
    func request(_ request: ClientRequest) throws -> OkReply {
        do {
            return try Self.body(of: try exchange(request))
        } catch let noReply as NoReply where noReply.refusals > 0 {
            let keys = curve.map { "this client's CURVE key \($0.keys.publicKey) is not in its client allow list, or "
                + "\($0.serverKey) is not its key" } ?? "it requires CURVE keys (--coordinator-key and --key-file)"
            throw CommandFailure(message: "the coordinator at \(endpoint) refused this client's connection \(noReply.refusals) "
                + "times in \(timeout) s: this address holds max_connections_per_address connections already, the coordinator "
                + "is short of file descriptors, or \(keys) (its log says which)")
        } catch is NoReply {
            let keys = curve.map { " Or it refused this client's CURVE key \($0.keys.publicKey) (not in its client allow list), "
                + "or \($0.serverKey) is not its key (see the coordinator's log)." } ?? ""
            throw CommandFailure(message: "no reply from the coordinator at \(endpoint) within \(timeout) s: is "
                + "farm-coordinator running there? (set --coordinator, FARM_COORDINATOR or client_endpoint in configs/farm.yaml)"
                + keys)
        }
    }

    /// SUBMIT, which carries an idempotency key: sent again on a fresh socket when no reply comes,
    /// since the coordinator answers a repeat with the job the first one made. With still no reply,
    /// the job may or may not exist, and the message says so.
    func submit(_ request: ClientRequest, tries: Int = 3) throws -> OkReply {
        for attempt in 1...tries {
            do {
                return try Self.body(of: try exchange(request))
            } catch is NoReply {
                guard attempt < tries else { break }
                printError("farmctl: no reply to SUBMIT from \(endpoint) within \(timeout) s; sending it again (same idempotency key)")
                try reopen()
            }
        }
        var idempotencyKey: String?
        if case .submit(let job, _) = request { idempotencyKey = job.idempotencyKey }
        let key = idempotencyKey.map { "; to retry without making a second job, run the same command with --idempotency-key \($0)" } ?? ""
        throw CommandFailure(message: "no reply from the coordinator at \(endpoint) to \(tries) tries of SUBMIT within "
            + "\(timeout) s each: the job may have been accepted; `farmctl status` shows it" + key)
    }

    /// A request whose OK reply must carry job `job`'s record (STATUS, CANCEL_JOB, RETRY_JOB).
    func jobRecord(_ request: ClientRequest, job: String) throws -> JobRecord {
        guard let record = try self.request(request).job else {
            throw CommandFailure(message: "the coordinator sent no record for job \(job)")
        }
        return record
    }

    /// Job `job`'s record with every clip: STATUS lists a page of clips at a time, so the pages after
    /// `record`'s (or the first, when there is none) are asked for and joined.
    func completeRecord(of job: String, from record: JobRecord? = nil) throws -> JobRecord {
        var complete = try record ?? jobRecord(.status(StatusQuery(jobId: job)), job: job)
        while let after = complete.nextClipsAfter {
            let page = try jobRecord(.status(StatusQuery(jobId: job, clipsAfter: after)), job: job)
            complete.clips = (complete.clips ?? []) + (page.clips ?? [])
            complete.nextClipsAfter = page.nextClipsAfter
        }
        return complete
    }

    /// Like `request`, but a silent coordinator (restarting, say) is waited for: the socket is
    /// reopened and the request repeated until it answers.
    func patientRequest(_ request: ClientRequest) throws -> OkReply {
        while true {
            do {
                return try Self.body(of: try exchange(request))
            } catch is NoReply {
                printError("farmctl: the coordinator at \(endpoint) is not answering; still trying")
                try reopen()
            }
        }
    }

    private struct NoReply: Error {
        /// Handshakes the coordinator refused meanwhile.
        var refusals = 0
    }

    /// False while no connection is up to take the message.
    private func send(_ frames: [Data]) throws -> Bool {
        do {
            try socket.send(frames)
            return true
        } catch {
            if error.isUnroutable { return false }
            throw error
        }
    }

    private static func body(of reply: ClientReply) throws -> OkReply {
        switch reply {
        case .ok(let body): return body
        case .error(let error): throw CommandFailure(message: error.message)
        }
    }

    private func exchange(_ request: ClientRequest) throws -> ClientReply {
        let deadline = Date().addingTimeInterval(timeout)
        var refusals = 0
        var frames: [Data]?
        while frames == nil {
            // The DEALER queues only on a completed connection: retry the send until one is up.
            while try !send(request.frames) {
                guard Date() < deadline else { throw NoReply(refusals: refusals) }
                _ = try ZMQPoller.poll([], timeout: .milliseconds(20))
            }
            while frames == nil {
                let remaining = deadline.timeIntervalSinceNow
                guard remaining > 0 else { throw NoReply(refusals: refusals) }
                let ready = try ZMQPoller.poll([.socket(socket), .socket(connection.handshakes)],
                                               timeout: .milliseconds(Int(remaining * 1000) + 1))
                if ready[0] { frames = try socket.receive(timeout: .zero) }
                if frames == nil, ready[1], try connection.handshakes.receive(timeout: .zero) != nil {
                    // Refused: a new socket, after a pause that grows, and the request again.
                    refusals += 1
                    _ = try ZMQPoller.poll([], timeout: .milliseconds(min(1000, 100 * refusals)))
                    try reopen()
                    break
                }
            }
        }
        guard let frames else { throw NoReply(refusals: refusals) }
        do {
            return try ClientReply.parse(frames)
        } catch {
            throw CommandFailure(message: "unreadable reply from the coordinator at \(endpoint): \(error)")
        }
    }
}

/// Prints values as the protocol spells them: snake_case keys, sorted, one document per line.
enum WireOutput {
    static func print<Value: Encodable>(_ value: Value) {
        FileHandle.standardOutput.write(WireJSON.encode(value) + Data("\n".utf8))
    }
}
