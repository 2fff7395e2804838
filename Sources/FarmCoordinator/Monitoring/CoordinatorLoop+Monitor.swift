import FarmWire

/// The coordinator's side of monitoring: publishing snapshots. The events the metrics count come
/// from the scheduler's effects (`Coordinator.perform`) and from filing.
extension CoordinatorLoop {
    /// What the HTTP side reads besides the snapshots.
    var monitorSources: MonitorSources {
        MonitorSources(store: store, stateDirectory: config.stateDirectory, logsRoot: config.logsRoot,
                       heartbeatLogPath: heartbeatLog.path)
    }

    /// Publishes the snapshot (once a heartbeat; see `SnapshotCadence` for the sooner path).
    func publishSnapshot(now: Double) {
        guard let monitor else { return }
        snapshotCadence.published(now: now, states: scheduler.workers.mapValues(\.state))
        monitor.publish(snapshot(now: now))
    }

    func publishSnapshotIfWorkersChanged(now: Double) {
        guard monitor != nil, snapshotCadence.isChangeDue(now: now, states: scheduler.workers.mapValues(\.state)) else {
            return
        }
        publishSnapshot(now: now)
    }

    func snapshot(now: Double) -> CoordinatorSnapshot {
        let workers = scheduler.workers.values.filter { $0.state != .gone }.sorted { $0.id < $1.id }
        return CoordinatorSnapshot(takenAt: now, workers: workers.map { Reports.worker($0, ready: routes.ready(of: $0.id)) },
                                   queueDepth: scheduler.pendingClips.count,
                                   heartbeatInterval: config.policy.liveness.interval,
                                   livenessTimeout: config.policy.liveness.timeout)
    }
}
