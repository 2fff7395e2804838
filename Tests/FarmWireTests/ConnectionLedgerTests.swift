import FarmWire
import Foundation
import Testing

/// A socket's live connections by address, from its monitor's events and checked against the
/// descriptors (`ConnectionLedger`).
struct ConnectionLedgerTests {
    enum Step: Sendable {
        case accepted(Int32, String)
        case disconnected(Int32)
    }

    /// (steps, address → expected count)
    static let cases: [(String, [Step], [String: Int])] = [
        ("accepted twice from one address", [.accepted(7, "10.0.0.1"), .accepted(8, "10.0.0.1")], ["10.0.0.1": 2]),
        ("one gone", [.accepted(7, "10.0.0.1"), .accepted(8, "10.0.0.1"), .disconnected(7)], ["10.0.0.1": 1]),
        ("addresses apart", [.accepted(7, "10.0.0.1"), .accepted(8, "10.0.0.2")], ["10.0.0.1": 1, "10.0.0.2": 1]),
        // A descriptor number reused by a new connection: the old one is gone even without an event.
        ("a reused descriptor", [.accepted(7, "10.0.0.1"), .accepted(7, "10.0.0.2")], ["10.0.0.1": 0, "10.0.0.2": 1]),
        ("an unknown descriptor gone", [.accepted(7, "10.0.0.1"), .disconnected(9)], ["10.0.0.1": 1]),
        ("all gone", [.accepted(7, "::1"), .disconnected(7), .disconnected(7)], ["::1": 0]),
    ]

    @Test(arguments: cases)
    func eventsCountConnectionsByAddress(name: String, steps: [Step], expected: [String: Int]) {
        var ledger = ConnectionLedger()
        for step in steps {
            switch step {
            case .accepted(let descriptor, let address): ledger.accepted(descriptor, from: address)
            case .disconnected(let descriptor): ledger.disconnected(descriptor)
            }
        }
        for (address, count) in expected { #expect(ledger.count(from: address) == count, "\(name): \(address)") }
    }

    /// Connections libzmq closed without an event are dropped when their descriptors say so.
    @Test func pruneDropsConnectionsTheDescriptorsNoLongerHold() {
        var ledger = ConnectionLedger()
        for descriptor: Int32 in 10...14 { ledger.accepted(descriptor, from: "10.0.0.1") }
        #expect(ledger.prune("10.0.0.1") { $0 % 2 == 0 } == 3)
        #expect(ledger.count(from: "10.0.0.1") == 3)
        #expect(ledger.prune("10.0.0.9") { _ in true } == 0)
    }

    /// The peer address of a real loopback connection, as ZAP gives it.
    @Test func aConnectedSocketsPeerAddressIsItsNumericIP() throws {
        let context = try ZMQContext()
        let router = try ZMQSocket(context: context, kind: .router)
        defer { router.close() }
        try router.monitorConnections(on: "inproc://ledger-test")
        let events = try ZMQSocket(context: context, kind: .pair)
        defer { events.close() }
        try events.connect("inproc://ledger-test")
        let endpoint = try router.bind("tcp://127.0.0.1:*")
        let dealer = try ZMQSocket(context: context, kind: .dealer)
        let port = endpoint.split(separator: ":").last!
        try dealer.connect("tcp://127.0.0.2:0;127.0.0.1:\(port)")
        let frames = try #require(try events.receive(timeout: .seconds(10)), "no ACCEPTED event")
        let accepted = try #require(ConnectionEvent(frames: frames))
        #expect(accepted.kind == .accepted)
        #expect(PeerAddress.of(descriptor: accepted.descriptor) == "127.0.0.2")
        dealer.close()
        let gone = try #require(try events.receive(timeout: .seconds(10)).flatMap(ConnectionEvent.init(frames:)), "no DISCONNECTED event")
        #expect(gone == ConnectionEvent(kind: .disconnected, value: accepted.descriptor))
        #expect(PeerAddress.of(descriptor: -1) == nil)
    }
}
