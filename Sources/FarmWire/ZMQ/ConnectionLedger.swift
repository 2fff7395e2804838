/// The live connections of one socket, by peer address, kept from its monitor's events. libzmq
/// does not report every close (a connection ended by the socket itself, as a ROUTER handover
/// does, sends no event), and a descriptor number is reused, so an address's entries are checked
/// against the descriptors themselves (`prune`) before they are counted against it.
public struct ConnectionLedger: Sendable, Equatable {
    private var addressOf: [Int32: String] = [:]
    private var descriptorsOf: [String: Set<Int32>] = [:]

    public init() {}

    /// A connection from `address` was accepted on `descriptor` (any earlier one there is gone).
    public mutating func accepted(_ descriptor: Int32, from address: String) {
        disconnected(descriptor)
        addressOf[descriptor] = address
        descriptorsOf[address, default: []].insert(descriptor)
    }

    /// The connection on `descriptor` is gone.
    public mutating func disconnected(_ descriptor: Int32) {
        guard let address = addressOf.removeValue(forKey: descriptor) else { return }
        descriptorsOf[address]?.remove(descriptor)
        if descriptorsOf[address]?.isEmpty == true { descriptorsOf[address] = nil }
    }

    /// Live connections from `address`.
    public func count(from address: String) -> Int { descriptorsOf[address]?.count ?? 0 }

    /// Forgets `address`'s connections whose descriptor `isStillFrom` says no longer holds one
    /// from it; returns how many remain.
    public mutating func prune(_ address: String, isStillFrom: (Int32) -> Bool) -> Int {
        for descriptor in descriptorsOf[address] ?? [] where !isStillFrom(descriptor) { disconnected(descriptor) }
        return count(from: address)
    }
}
