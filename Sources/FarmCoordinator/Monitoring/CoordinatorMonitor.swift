import FarmWire

/// What the coordinator tells an observer (the HTTP side's metrics and dashboard): a snapshot once
/// per heartbeat tick and events as they happen. Both are called on the coordinator's loop thread,
/// so an implementation must only record and return: never block, never call back.
public protocol CoordinatorMonitor: AnyObject, Sendable {
    func publish(_ snapshot: CoordinatorSnapshot)
    func record(_ event: CoordinatorEvent)
}

/// Things that happened, counted by the metrics.
public enum CoordinatorEvent: Sendable, Equatable {
    /// A clip failed by itself and went back to the queue, using a retry.
    case clipRetried
    /// A clip went back to the queue without using a retry (its worker was lost, left or dropped it).
    case clipRequeued
    /// A worker was declared lost: silent for the liveness timeout, or unreachable.
    case workerLost
    /// A clip was filed: its worker's render + encode time and the time since its job was submitted.
    case clipFiled(worker: WorkerID, host: String, frames: Int, renderSeconds: Double, submitToFiledSeconds: Double)
}

/// The coordinator's in-memory view, as the loop last published it. Jobs and clips are not here:
/// they are in the store, which the HTTP side reads on its own connection.
public struct CoordinatorSnapshot: Sendable, Equatable {
    /// Seconds since 1970 when the loop took it.
    public var takenAt: Double
    /// Every worker not gone, by id, as `farmctl workers` reports them.
    public var workers: [WorkerRecord]
    /// Clips waiting for a worker.
    public var queueDepth: Int
    public var heartbeatInterval: Double
    /// Seconds of silence after which a worker is lost.
    public var livenessTimeout: Double

    public init(takenAt: Double, workers: [WorkerRecord], queueDepth: Int, heartbeatInterval: Double,
                livenessTimeout: Double) {
        self.takenAt = takenAt
        self.workers = workers
        self.queueDepth = queueDepth
        self.heartbeatInterval = heartbeatInterval
        self.livenessTimeout = livenessTimeout
    }
}
