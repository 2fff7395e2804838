import FarmWire

/// The coordinator's side of monitoring: publishing snapshots. The events the metrics count come
/// from the scheduler's effects (`Coordinator.perform`) and from filing.
extension Coordinator {
    /// What the HTTP side reads besides the snapshots.
    public var monitorSources: MonitorSources {
        MonitorSources(store: store, stateDirectory: config.stateDirectory, logsRoot: config.logsRoot,
                       heartbeatLogPath: heartbeatLog.path)
    }

    /// Publishes the snapshot: once a heartbeat, and sooner when a worker changed state (a dispatch,
    /// a result), so a clip shorter than a heartbeat can still show as rendering. The sooner path
    /// waits `changePublishInterval` after the last publish: at hundreds of clips a second, a
    /// snapshot per change cost the loop 3–4 % of its throughput (farm-bench dispatch's scrape row).
    func publishSnapshot(now: Double) {
        guard let monitor else { return }
        publishedWorkerStates = scheduler.workers.mapValues(\.state)
        publishedAt = now
        monitor.publish(snapshot(now: now))
    }

    func publishSnapshotIfWorkersChanged(now: Double) {
        guard monitor != nil, now - publishedAt >= Self.changePublishInterval,
              scheduler.workers.mapValues(\.state) != publishedWorkerStates else { return }
        publishSnapshot(now: now)
    }

    static let changePublishInterval = 0.25

    func snapshot(now: Double) -> CoordinatorSnapshot {
        let workers = scheduler.workers.values.filter { $0.state != .gone }.sorted { $0.id < $1.id }
        return CoordinatorSnapshot(takenAt: now, workers: workers.map { Reports.worker($0, ready: readies[$0.id]) },
                                   queueDepth: scheduler.pendingClips.count,
                                   heartbeatInterval: config.policy.liveness.interval,
                                   livenessTimeout: config.policy.liveness.timeout)
    }
}
