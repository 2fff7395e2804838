/// When the coordinator publishes a snapshot for the metrics and dashboard: once a heartbeat, and
/// sooner when a worker changed state (a dispatch, a result), so a clip shorter than a heartbeat
/// can still show as rendering. The sooner path waits `changeInterval` after the last publish: at
/// hundreds of clips a second, a snapshot per change cost the loop 3–4 % of its throughput
/// (farm-bench dispatch's scrape row).
struct SnapshotCadence {
    static let changeInterval = 0.25

    private var publishedStates: [WorkerID: WorkerState] = [:]
    private var publishedAt = -Double.infinity

    /// Whether workers now in `states` differ enough, and long enough after the last publish, to
    /// publish again before the heartbeat.
    func isChangeDue(now: Double, states: @autoclosure () -> [WorkerID: WorkerState]) -> Bool {
        now - publishedAt >= Self.changeInterval && states() != publishedStates
    }

    mutating func published(now: Double, states: [WorkerID: WorkerState]) {
        publishedStates = states
        publishedAt = now
    }
}
