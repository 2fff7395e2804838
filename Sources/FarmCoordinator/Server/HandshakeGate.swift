import FarmWire
import Logging
import Synchronization

/// Decides each ZeroMQ handshake on the coordinator's two sockets (the ZAP handler's policy): a
/// newcomer is refused when its address already holds `maxConnectionsPerAddress` connections to
/// that socket, or while the descriptors it would leave are too few (`DescriptorBudget`), then, on
/// a CURVE farm, unless its key is allowed. libzmq closes a refused connection at once, so a
/// flood of connections cannot hold the descriptors that workers, the database and filing need;
/// without this, 1,100 idle DEALERs held a coordinator at its limit and cut off every client and
/// worker for as long as they stayed.
final class HandshakeGate: Sendable {
    private let security: CoordinatorSecurity?
    private let maxConnectionsPerAddress: Int
    private let logger: Logger
    /// Runs of refusals, logged once each: per address over its cap, per CURVE key refused, and ("")
    /// for want of descriptors.
    private let episodes = Mutex(RefusalEpisodes(capacity: 1024))
    private static let shortage = ""

    init(security: CoordinatorSecurity?, maxConnectionsPerAddress: Int, logger: Logger) {
        self.security = security
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.logger = logger
    }

    /// Whom a handshake on `domain` would take a descriptor for: the worker socket's are workers',
    /// every other's a client's.
    static func claimant(domain: String) -> DescriptorBudget.Claimant {
        domain == CoordinatorSecurity.workerDomain ? .worker : .client
    }

    /// Why the peer may not connect, or nil.
    func refusal(_ request: ZAPHandler.Request) -> String? {
        if request.connectionsFromAddress > maxConnectionsPerAddress {
            if episodes.withLock({ $0.refused(request.address) }) {
                logger.warning("""
                    \(request.address) holds \(maxConnectionsPerAddress) connections to \(request.domain), the most one address \
                    may (max_connections_per_address): refusing more from it
                    """)
            }
            return "\(request.address) holds \(request.connectionsFromAddress - 1) connections to \(request.domain) already, "
                + "the most one address may (max_connections_per_address)"
        }
        if let refused = episodes.withLock({ $0.accepted(request.address) }) {
            logger.info("accepting connections from \(request.address) again (\(refused) refused meanwhile)")
        }
        let claimant = Self.claimant(domain: request.domain)
        if DescriptorBudget.isShort(for: claimant) {
            if episodes.withLock({ $0.refused(Self.shortage) }) {
                logger.warning("""
                    fewer than \(claimant.keeps) file descriptors left: refusing new \(request.domain) connections \
                    (first from \(request.address)); raise LimitNOFILE if the farm needs more
                    """)
            }
            return "the coordinator is short of file descriptors; try again later"
        }
        if let refused = episodes.withLock({ $0.accepted(Self.shortage) }) {
            logger.info("file descriptors free again: accepting connections (\(refused) refused meanwhile)")
        }
        guard let security else { return nil }
        guard let key = request.curveKey else { return "CURVE required" }
        let run = "\(request.domain) \(key)"
        guard let refusal = security.refusal(domain: request.domain, key: key) else {
            if let refused = episodes.withLock({ $0.accepted(run) }), refused > 1 {
                logger.info("CURVE key \(key) accepted on \(request.domain) (refused \(refused) times before)")
            }
            return nil
        }
        if episodes.withLock({ $0.refused(run) }) {
            logger.warning("CURVE handshake refused on \(request.domain): \(refusal) (its next refusals are counted, not logged)")
        }
        return refusal
    }
}
