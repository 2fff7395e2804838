import FarmCore
import FarmWire
import Foundation
import Testing
@testable import FarmCoordinator

/// A coordinator with CURVE on, its key pair and allow lists in a temporary folder, and key pairs
/// for a worker, two clients, an operator and a stranger (Ironhouse: docs/PROTOCOL.md, "Security").
final class AuthenticatedFarm {
    let keys: TemporaryDirectory
    let coordinatorKeys: CurveKeyPair
    let worker, otherWorker, alice, bob, boss, stranger: CurveKeyPair
    let farm: LiveFarm

    init(queueLimits: QueueLimits = .standard) throws {
        try #require(CurveSupport.isAvailable, "libzmq without CURVE")
        let keys = try TemporaryDirectory()
        self.keys = keys
        func pair(_ name: String) throws -> CurveKeyPair {
            let pair = try CurveKeyPair.generate()
            try CurveKeyFile.write(pair, to: keys.appending(name), comment: "test \(name)")
            return pair
        }
        coordinatorKeys = try pair("coordinator.key")
        worker = try pair("worker.key")
        otherWorker = try pair("worker2.key")
        alice = try pair("alice.key")
        bob = try pair("bob.key")
        boss = try pair("boss.key")
        stranger = try pair("stranger.key")
        try "# workers\n\(worker.publicKey)  # node1\n\(otherWorker.publicKey)\n\n".write(toFile: keys.appending("workers.allow"), atomically: true, encoding: .utf8)
        try "\(alice.publicKey)\n\(bob.publicKey)\n".write(toFile: keys.appending("clients.allow"), atomically: true, encoding: .utf8)
        try "\(boss.publicKey)\n".write(toFile: keys.appending("operators.allow"), atomically: true, encoding: .utf8)
        let security = try CoordinatorSecurity(
            keyFile: keys.appending("coordinator.key"), workerAllowList: keys.appending("workers.allow"),
            clientAllowList: keys.appending("clients.allow"), operatorAllowList: keys.appending("operators.allow"))
        farm = try LiveFarm(security: security, queueLimits: queueLimits)
    }

    /// A DEALER presenting `pair` (nil: no CURVE at all), trusting `server` as the coordinator's key.
    func dealer(_ pair: CurveKeyPair?, to endpoint: String, identity: String? = nil,
                server: CurveKey? = nil) throws -> ZMQSocket {
        let socket = try ZMQSocket(context: farm.context, kind: .dealer)
        if let identity { try socket.setIdentity(Data(identity.utf8)) }
        if let pair { try socket.useCurveClient(CurveClientKeys(serverKey: server ?? coordinatorKeys.publicKey, keys: pair)) }
        try socket.connect(endpoint)
        return socket
    }

    func client(_ pair: CurveKeyPair?, server: CurveKey? = nil) throws -> ZMQSocket {
        try dealer(pair, to: farm.coordinator.clientEndpoint, server: server)
    }

    /// The reply to `request`, or nil when none comes within `wait`: a DEALER takes a message only
    /// once a handshake has completed, so a refused peer cannot even send.
    func ask(_ socket: ZMQSocket, _ request: ClientRequest, wait: Duration = .seconds(10)) throws -> ClientReply? {
        let deadline = ContinuousClock.now + wait
        while true {
            do {
                try socket.send(request.frames, wait: false)
                break
            } catch let error where error.isUnroutable {
                guard ContinuousClock.now < deadline else { return nil }
                _ = try ZMQPoller.poll([], timeout: .milliseconds(20))
            }
        }
        return try socket.receive(timeout: max(.milliseconds(1), deadline - ContinuousClock.now)).map { try ClientReply.parse($0) }
    }

    func workerIDs(as pair: CurveKeyPair) throws -> [String] {
        let socket = try client(pair)
        guard case .ok(let body) = try ask(socket, .workers(WorkersQuery())) else { throw TestFailure("WORKERS failed") }
        return (body.workers ?? []).map(\.id)
    }
}

@Suite(.serialized) struct CurveAuthenticationTests {
    @Test func listedClientKeysAreServed() throws {
        let farm = try AuthenticatedFarm()
        guard case .ok(let status) = try farm.ask(try farm.client(farm.alice), .status(StatusQuery())) else {
            Issue.record("an allow-listed client got no OK"); return
        }
        #expect(status.jobs == [])
        #expect(try farm.ask(try farm.client(farm.boss), .status(StatusQuery())) != nil, "operators are clients too")
    }

    static let refusedPeers: [String] = ["no key", "unlisted key", "wrong coordinator key", "worker key"]

    /// Each is refused at the handshake: the request never reaches the coordinator, so no reply.
    @Test(arguments: refusedPeers)
    func peersWithoutAListedClientKeyGetNoReply(peer: String) throws {
        let farm = try AuthenticatedFarm()
        let socket: ZMQSocket
        switch peer {
        case "no key": socket = try farm.client(nil)
        case "unlisted key": socket = try farm.client(farm.stranger)
        case "wrong coordinator key": socket = try farm.client(farm.alice, server: farm.stranger.publicKey)
        default: socket = try farm.client(farm.worker)
        }
        let submit = try LiveFarm.submit()
        #expect(try farm.ask(socket, submit, wait: .seconds(1)) == nil, "\(peer) was answered")
        #expect(try farm.ask(socket, .status(StatusQuery()), wait: .seconds(1)) == nil, "\(peer) was answered")
        guard case .ok(let status) = try farm.ask(try farm.client(farm.alice), .status(StatusQuery())) else {
            Issue.record("STATUS failed"); return
        }
        #expect(status.jobs == [], "a refused peer's SUBMIT made a job")
    }

    /// A worker key registers; a client key, no key or an unlisted key cannot: READY never arrives.
    @Test func onlyWorkerKeysRegisterAsWorkers() throws {
        let farm = try AuthenticatedFarm()
        let endpoint = farm.farm.coordinator.workerEndpoint
        let ready = { (id: String) in
            WorkerMessage.ready(Ready(workerId: id, host: "testhost", pid: 1, device: .none, backends: [.kit],
                                      encoders: ["libx264"], version: "test")).frames
        }
        var sockets: [ZMQSocket] = []
        for (id, pair) in [("client-key", farm.alice), ("no-key", nil), ("stranger", farm.stranger)] as [(String, CurveKeyPair?)] {
            let socket = try farm.dealer(pair, to: endpoint, identity: id)
            try socket.send(ready(id), wait: false)
            #expect(try socket.receive(timeout: .seconds(1)) == nil, "\(id) heard from the coordinator")
            sockets.append(socket)
        }
        let good = try farm.dealer(farm.worker, to: endpoint, identity: "w1")
        try good.send(ready("w1"), wait: false)
        #expect(try good.receive(timeout: .seconds(10)) != nil, "the listed worker gets heartbeats")
        #expect(try farm.workerIDs(as: farm.alice) == ["w1"])
    }

    /// One worker key cannot speak for a worker id another worker key registered: not by READY,
    /// and not by connecting under that worker's old-style identity; the worker keeps its route.
    @Test func aWorkerKeyCannotTakeOverAnotherWorkersId() throws {
        let farm = try AuthenticatedFarm()
        let endpoint = farm.farm.coordinator.workerEndpoint
        let ready = WorkerMessage.ready(Ready(workerId: "w1", host: "testhost", pid: 1, device: .none, backends: [.kit],
                                              encoders: ["libx264"], version: "test")).frames
        let owner = try farm.dealer(farm.worker, to: endpoint, identity: "w1/0123456789abcdef")
        try owner.send(ready, wait: false)
        #expect(try owner.receive(timeout: .seconds(10)) != nil, "the first worker key registers w1")

        let impostor = try farm.dealer(farm.otherWorker, to: endpoint, identity: "w1/fedcba9876543210")
        try impostor.send(ready, wait: false)
        let refusal = try #require(try impostor.receive(timeout: .seconds(10)), "no reply to the impostor's READY")
        guard case .error(let error) = try CoordinatorMessage.parse(refusal) else {
            Issue.record("another worker key registered w1"); return
        }
        #expect(error.code == .forbidden && error.message.contains("belongs to worker key \(farm.worker.publicKey)"))

        let beat = WorkerMessage.heartbeat(WorkerHeartbeat(state: .idle, framesDone: 0, framesTotal: 0, fps: 0,
                                                           rssBytes: 1)).frames
        let oldStyle = try farm.dealer(farm.otherWorker, to: endpoint, identity: "w1")
        try oldStyle.send(beat, wait: false)
        let beatReply = try #require(try oldStyle.receive(timeout: .seconds(10)), "no reply to the impostor's heartbeat")
        guard case .error(let beatError) = try CoordinatorMessage.parse(beatReply) else {
            Issue.record("a heartbeat spoken for w1 by another worker key was taken"); return
        }
        #expect(beatError.code == .forbidden)
        try owner.send(beat, wait: false)
        #expect(try owner.receive(timeout: .seconds(10)) != nil, "w1 still hears from the coordinator")
        #expect(try farm.workerIDs(as: farm.alice) == ["w1"])
    }

    @Test func cancelIsScopedToTheSubmittingKeyOrAnOperator() throws {
        let farm = try AuthenticatedFarm()
        let alice = try farm.client(farm.alice)
        let bob = try farm.client(farm.bob)
        let boss = try farm.client(farm.boss)
        func submit(_ run: String) throws -> String {
            guard case .ok(let body) = try farm.ask(alice, try LiveFarm.submit(run: run)), let job = body.job else {
                throw TestFailure("alice's SUBMIT refused")
            }
            return job.id
        }
        let first = try submit("one")
        guard case .error(let forbidden) = try farm.ask(bob, .cancelJob(CancelJob(jobId: first))) else {
            Issue.record("bob cancelled alice's job"); return
        }
        #expect(forbidden.code == .forbidden)
        #expect(forbidden.message.contains(farm.alice.publicKey.z85))
        guard case .ok(let byOperator) = try farm.ask(boss, .cancelJob(CancelJob(jobId: first))) else {
            Issue.record("the operator could not cancel"); return
        }
        #expect(byOperator.job?.state == .cancelled)
        let second = try submit("two")
        guard case .ok(let byOwner) = try farm.ask(alice, .cancelJob(CancelJob(jobId: second))) else {
            Issue.record("alice could not cancel her own job"); return
        }
        #expect(byOwner.job?.state == .cancelled)
    }

    @Test func keysAddedToAnAllowListAreAcceptedWithoutARestart() throws {
        let farm = try AuthenticatedFarm()
        let late = try CurveKeyPair.generate()
        let before = try farm.client(late)
        #expect(try farm.ask(before, .status(StatusQuery()), wait: .seconds(1)) == nil)
        let list = farm.keys.appending("clients.allow")
        try (String(contentsOfFile: list, encoding: .utf8) + "\(late.publicKey)  # added later\n")
            .write(toFile: list, atomically: true, encoding: .utf8)
        #expect(try farm.ask(try farm.client(late), .status(StatusQuery())) != nil)
    }
}
