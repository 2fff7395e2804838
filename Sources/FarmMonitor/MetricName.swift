/// The farm's metric names, in Prometheus' conventions: `farm_` prefix, base units (`_seconds`,
/// `_bytes`), `_total` on counters. docs/MONITORING.md lists them; cluster/grafana's dashboard uses
/// them (a test checks that every name it queries is exposed).
public enum MetricName {
    public static let workers = "farm_workers"
    public static let workerFps = "farm_worker_fps"
    public static let workerClipFramesDone = "farm_worker_clip_frames_done"
    public static let workerFramesRendered = "farm_worker_frames_rendered_total"
    public static let workerHeartbeatAge = "farm_worker_heartbeat_age_seconds"
    public static let clips = "farm_clips"
    public static let jobs = "farm_jobs"
    public static let queueDepth = "farm_queue_depth"
    public static let clipRetries = "farm_clip_retries_total"
    public static let clipRequeues = "farm_clip_requeues_total"
    public static let workersLost = "farm_workers_lost_total"
    public static let clipRenderSeconds = "farm_clip_render_seconds"
    public static let clipSubmitToFiledSeconds = "farm_clip_submit_to_filed_seconds"
    public static let residentMemory = "farm_coordinator_resident_memory_bytes"
    public static let stateDatabase = "farm_state_database_bytes"

    /// HELP text of the gauges set at scrape time (swift-metrics gives its counters and timers none).
    static let help: [String: String] = [
        workers: "Workers by coordinator state and device kind (nvidia, software, ...).",
        workerFps: "Frames per second the worker reported in its last heartbeat.",
        workerClipFramesDone: "Frames of its current clip the worker has rendered.",
        workerHeartbeatAge: "Seconds since the worker was last heard from.",
        clips: "Clips in the state database by state.",
        jobs: "Jobs in the state database by state.",
        queueDepth: "Clips waiting for a worker.",
        residentMemory: "Resident memory of the coordinator process.",
        stateDatabase: "Size on disk of the SQLite state (database, WAL and index).",
    ]
}
