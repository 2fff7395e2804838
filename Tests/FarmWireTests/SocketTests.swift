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

        try send(WorkerMessage.ready(Fixtures.ready).frames, on: dealer)
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

    @Test func aDealerWithNoPeerDoesNotQueue() throws {
        let dealer = try ZMQSocket(context: context, kind: .dealer)
        defer { dealer.close() }
        try dealer.connect("tcp://127.0.0.1:9")
        #expect(throws: SocketError.self) { try dealer.send([Data("x".utf8)]) }
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

    /// A DEALER's first send can race its connection (ZMQ_IMMEDIATE): retry until the deadline.
    private func send(_ frames: [Data], on dealer: ZMQSocket) throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            do {
                try dealer.send(frames)
                return
            } catch {
                guard error.isUnroutable, ContinuousClock.now < deadline else { throw error }
                _ = try dealer.receive(timeout: .milliseconds(10))
            }
        }
    }
}
