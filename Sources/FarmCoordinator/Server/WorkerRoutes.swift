import FarmWire
import Foundation

/// Which ROUTER identity reaches which worker, both ways, what each worker said in READY, and on
/// an authenticated farm the worker key each worker id belongs to: the worker side's own state,
/// changed only here.
struct WorkerRoutes {
    private var routes: [WorkerID: Data] = [:]
    private var identities: [Data: WorkerID] = [:]
    private var readies: [WorkerID: Ready] = [:]
    /// The CURVE key that first spoke for each worker id since this coordinator started.
    private var keys: [WorkerID: String] = [:]

    /// The worker a message came from: the one bound to `identity`, else the worker id the identity
    /// names (`WorkerIdentity.workerId(fromRoutingIdentity:)`), as a worker the coordinator restored
    /// from its state speaks before its READY.
    func worker(from identity: Data) -> WorkerID {
        identities[identity] ?? WorkerIdentity.workerId(fromRoutingIdentity: identity)
    }

    /// The identity to send to `worker` by.
    func identity(of worker: WorkerID) -> Data { routes[worker] ?? Data(worker.utf8) }

    func ready(of worker: WorkerID) -> Ready? { readies[worker] }

    /// Why a peer holding `key` may not speak for `worker` (nil when it may): on an authenticated
    /// farm a worker id belongs to the worker key that first spoke for it, so one worker key cannot
    /// take over another worker's clips, route or records.
    func refusal(worker: WorkerID, key: String?) -> String? {
        guard let key, let owner = keys[worker], owner != key else { return nil }
        return "worker id \(worker) belongs to worker key \(owner), which registered it; a worker key may speak only "
            + "for the worker ids it registered (give each worker process its own id)"
    }

    /// `worker` is reached through `identity` from now on (a reconnect may bring a new one); the
    /// caller has checked `refusal(worker:key:)`.
    mutating func bind(_ worker: WorkerID, to identity: Data, key: String?) {
        if let previous = routes[worker], previous != identity { identities[previous] = nil }
        routes[worker] = identity
        identities[identity] = worker
        if let key, keys[worker] == nil { keys[worker] = key }
    }

    mutating func register(_ ready: Ready, from identity: Data, key: String?) {
        bind(ready.workerId, to: identity, key: key)
        readies[ready.workerId] = ready
    }
}
