import FarmWire
import Foundation

/// Which ROUTER identity reaches which worker, both ways, and what each worker said in READY: the
/// worker side's own state, changed only here.
struct WorkerRoutes {
    private var routes: [WorkerID: Data] = [:]
    private var identities: [Data: WorkerID] = [:]
    private var readies: [WorkerID: Ready] = [:]

    /// The worker a message came from: the one bound to `identity`, else the identity read as a
    /// worker id (workers set their DEALER identity to their id).
    func worker(from identity: Data) -> WorkerID {
        identities[identity] ?? String(decoding: identity, as: UTF8.self)
    }

    /// The identity to send to `worker` by.
    func identity(of worker: WorkerID) -> Data { routes[worker] ?? Data(worker.utf8) }

    func ready(of worker: WorkerID) -> Ready? { readies[worker] }

    /// `worker` is reached through `identity` from now on (a reconnect may bring a new one).
    mutating func bind(_ worker: WorkerID, to identity: Data) {
        if let previous = routes[worker], previous != identity { identities[previous] = nil }
        routes[worker] = identity
        identities[identity] = worker
    }

    mutating func register(_ ready: Ready, from identity: Data) {
        bind(ready.workerId, to: identity)
        readies[ready.workerId] = ready
    }
}
