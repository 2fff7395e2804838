import FarmWire

/// The coordinator's side of monitoring: publishing snapshots of the workers and the queue, once a
/// heartbeat and sooner when a worker's state changed (`SnapshotCadence`). The events the metrics
/// count come from the scheduler's effects (`CoordinatorLoop.perform`) and from filing.
struct SnapshotPublisher {
    /// Told of snapshots and events (the metrics and dashboard); nil when nothing watches.
    let monitor: (any CoordinatorMonitor)?
    let liveness: Liveness
    private var cadence = SnapshotCadence()

    init(monitor: (any CoordinatorMonitor)?, liveness: Liveness) {
        self.monitor = monitor
        self.liveness = liveness
    }

    /// Publishes the snapshot of `scheduler`'s workers (with what `routes` holds of their READYs).
    mutating func publish(now: Double, scheduler: Scheduler, routes: WorkerRoutes) {
        guard let monitor else { return }
        cadence.published(now: now, states: scheduler.workers.mapValues(\.state))
        monitor.publish(snapshot(now: now, scheduler: scheduler, routes: routes))
    }

    /// Publishes when a worker's state changed since the last snapshot, as often as the cadence allows.
    mutating func publishIfWorkersChanged(now: Double, scheduler: Scheduler, routes: WorkerRoutes) {
        guard monitor != nil, cadence.isChangeDue(now: now, states: scheduler.workers.mapValues(\.state)) else { return }
        publish(now: now, scheduler: scheduler, routes: routes)
    }

    private func snapshot(now: Double, scheduler: Scheduler, routes: WorkerRoutes) -> CoordinatorSnapshot {
        let workers = scheduler.workers.values.filter { $0.state != .gone }.sorted { $0.id < $1.id }
        return CoordinatorSnapshot(takenAt: now, workers: workers.map { Reports.worker($0, ready: routes.ready(of: $0.id)) },
                                   queueDepth: scheduler.pendingClips.count,
                                   heartbeatInterval: liveness.interval, livenessTimeout: liveness.timeout)
    }
}
