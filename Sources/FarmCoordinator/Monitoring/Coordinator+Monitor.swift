import FarmWire

/// The coordinator's side of monitoring: publishing snapshots and noticing the events the metrics
/// count, from what the scheduler already reports (its effects and its clips' states).
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

    /// Runs a scheduler call about `worker` and counts a requeue if the clip it held went back to
    /// the queue during it (a goodbye, or heartbeats that no longer match the dispatch).
    func noticingRequeue(of worker: WorkerID, _ body: () throws -> [SchedulerEffect]?) rethrows -> [SchedulerEffect]? {
        let held = scheduler.workers[worker]?.clip
        let effects = try body()
        // Back in the queue, or already handed to another worker by the same event.
        if let held, scheduler.workers[worker]?.clip != held, let clip = scheduler.clips[held],
           clip.state == .queued || (clip.state == .dispatched && clip.worker != worker) {
            monitor?.record(.clipRequeued)
        }
        return effects
    }

    /// Counts a retry when a reported failure did not end the clip: it went back to the queue, or
    /// was already dispatched again (a clip of a settled job is forgotten, and was not retried).
    func noticeRetry(of clip: ClipKey, verdict: ReportVerdict) {
        if case .dropped = verdict { return }
        if let state = scheduler.clips[clip]?.state, state == .queued || state == .dispatched {
            monitor?.record(.clipRetried)
        }
    }
}
