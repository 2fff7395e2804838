import FarmCore
import FarmWire
import Foundation
import Testing

/// Real sockets on loopback, OS-chosen ports, closed by their owners at the end of each test.
@Suite struct SocketTests {
    let context: ZMQContext

    init() throws { context = try ZMQContext() }

    @Test func bindingPortZeroReportsTheChosenPort() throws {
        let router = try ZMQSocket(context: context, kind: .router)
        defer { router.close() }
        let endpoint = try router.bind("tcp://127.0.0.1:0")
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        #expect(endpoint != "tcp://127.0.0.1:0")
    }

    @Test func routerAndDealerExchangeTypedMessages() throws {
        let router = try ZMQSocket(context: context, kind: .router)
        let dealer = try ZMQSocket(context: context, kind: .dealer)
        defer { dealer.close(); router.close() }
        let endpoint = try router.bind("tcp://127.0.0.1:0")
        try dealer.setIdentity(Data(Fixtures.ready.workerId.utf8))
        try dealer.connect(endpoint)

        try dealer.send(WorkerMessage.ready(Fixtures.ready).frames)
        let routed = try RoutedMessage(routerFrames: try #require(try router.receive(timeout: .seconds(5))))
        #expect(routed.identity == Data(Fixtures.ready.workerId.utf8))
        #expect(try WorkerMessage.parse(routed.payload) == .ready(Fixtures.ready))

        let task = CoordinatorMessage.task(Fixtures.task, rollout: RolloutSlice(Fixtures.rollout))
        try router.send(routed.reply(task.frames))
        let received = try #require(try dealer.receive(timeout: .seconds(5)))
        #expect(try CoordinatorMessage.parse(received) == task)
    }

    @Test func receiveTimesOutWithNothing() throws {
        let router = try ZMQSocket(context: context, kind: .router)
        defer { router.close() }
        _ = try router.bind("tcp://127.0.0.1:0")
        let start = ContinuousClock.now
        #expect(try router.receive(timeout: .milliseconds(50)) == nil)
        #expect(ContinuousClock.now - start >= .milliseconds(40))
        #expect(try router.receive() == nil)
    }

    @Test func sendingToAGonePeerFailsInsteadOfVanishing() throws {
        let router = try ZMQSocket(context: context, kind: .router)
        defer { router.close() }
        _ = try router.bind("tcp://127.0.0.1:0")
        #expect(throws: SocketError.self) { try router.send([Data("nobody".utf8), Data("x".utf8)]) }
        do {
            try router.send([Data("nobody".utf8), Data("x".utf8)])
        } catch {
            #expect(error.isUnroutable)
            #expect(error.description.contains("No route to host") || error.description.contains("errno"))
        }
    }

    @Test func aDealerQueuesUntilItsPeerAppears() throws {
        let endpoint = try freeEndpoint()
        let dealer = try ZMQSocket(context: context, kind: .dealer)
        defer { dealer.close() }
        try dealer.connect(endpoint)
        try dealer.send([Data("early".utf8)])
        let router = try ZMQSocket(context: context, kind: .router)
        defer { router.close() }
        try router.bind(endpoint)
        let frames = try #require(try router.receive(timeout: .seconds(5)))
        #expect(frames.last == Data("early".utf8))
    }

    @Test func aReconnectingIdentityTakesOverItsRoute() throws {
        let router = try ZMQSocket(context: context, kind: .router)
        defer { router.close() }
        let endpoint = try router.bind("tcp://127.0.0.1:0")
        for round in 0..<2 {
            let dealer = try ZMQSocket(context: context, kind: .dealer)
            try dealer.setIdentity(Data("w1".utf8))
            try dealer.connect(endpoint)
            try dealer.send([Data("hello \(round)".utf8)])
            let frames = try #require(try router.receive(timeout: .seconds(5)))
            #expect(frames == [Data("w1".utf8), Data("hello \(round)".utf8)])
            try router.send([Data("w1".utf8), Data("back \(round)".utf8)])
            #expect(try dealer.receive(timeout: .seconds(5)) == [Data("back \(round)".utf8)])
            dealer.close()
        }
    }

    @Test func pollerWatchesSocketsAndAWakePipe() throws {
        let router = try ZMQSocket(context: context, kind: .router)
        defer { router.close() }
        _ = try router.bind("tcp://127.0.0.1:0")
        let wake = try WakePipe()
        #expect(try ZMQPoller.poll([.socket(router), .descriptor(wake.readDescriptor)], timeout: .zero) == [false, false])
        Thread.detachNewThread { wake.signal() }
        let ready = try ZMQPoller.poll([.socket(router), .descriptor(wake.readDescriptor)], timeout: .seconds(5))
        #expect(ready == [false, true])
        wake.drain()
        #expect(try ZMQPoller.poll([.descriptor(wake.readDescriptor)], timeout: .zero) == [false])
    }

    @Test func usingAClosedSocketIsAnErrorNotACrash() throws {
        let dealer = try ZMQSocket(context: context, kind: .dealer)
        dealer.close()
        dealer.close()
        #expect(throws: SocketError.self) { try dealer.send([Data("x".utf8)]) }
        #expect(throws: SocketError.self) { try dealer.receive() }
    }

    @Test func badEndpointsNameTheEndpoint() throws {
        let router = try ZMQSocket(context: context, kind: .router)
        defer { router.close() }
        do {
            try router.bind("carrier-pigeon://roof")
            Issue.record("bound a nonsense endpoint")
        } catch {
            #expect(error.description.contains("carrier-pigeon://roof"))
        }
    }

    /// A port the OS just handed out and released: a separate context, terminated (which waits for
    /// the socket to be really closed), so the port is free again when this returns.
    private func freeEndpoint() throws -> String {
        let probeContext = try ZMQContext()
        let probe = try ZMQSocket(context: probeContext, kind: .router)
        return try probe.bind("tcp://127.0.0.1:0")
    }
}
