import FarmWire

/// What `--health-file` holds, rewritten atomically on every heartbeat tick: its age says the
/// worker is alive (liveness probe), `connected` that the coordinator answers (readiness probe).
/// One JSON object, keys sorted, as docs/DEPLOY.md describes it for the probes, e.g.
/// `{"connected":true,"coordinator":"tcp://head:5555","state":"idle","time":1795568205.17,"worker":"node12-4711-9f3a"}`.
public struct WorkerHealth: Codable, Sendable, Equatable {
    /// Unix seconds of the tick.
    public var time: Double
    public var worker: String
    public var state: HeartbeatState
    /// The coordinator has answered on the current connection.
    public var connected: Bool
    public var coordinator: String

    public init(time: Double, worker: String, state: HeartbeatState, connected: Bool, coordinator: String) {
        self.time = time
        self.worker = worker
        self.state = state
        self.connected = connected
        self.coordinator = coordinator
    }
}
