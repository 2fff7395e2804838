/// `configs/farm.yaml`: where the coordinator listens, how liveness is judged, where files go.
/// Relative directories are taken from the working directory of the process that uses them, as
/// Isaac Lab's `logs/` is.
public struct FarmSettings: Sendable, Hashable {
    /// The coordinator's ROUTER socket for workers.
    public var workerEndpoint: String
    /// The coordinator's ROUTER socket for clients (`farmctl`, trainers).
    public var clientEndpoint: String
    /// SQLite database, spooled rollouts and the heartbeat log.
    public var stateDirectory: String
    /// Clips land under `<logsRoot>/<workflow>/<task>/<run>/videos/train`.
    public var logsRoot: String
    /// Seconds between heartbeats, both ways.
    public var heartbeatInterval: Double
    /// Heartbeat intervals of silence after which a peer is lost.
    public var heartbeatLiveness: Int
    /// Worker reconnect backoff: first delay and cap, in seconds (doubling, jittered).
    public var reconnectInitial: Double
    public var reconnectMax: Double
    /// Times a clip that failed by itself is retried on other workers.
    public var maxRetries: Int
    /// A clip whose attempts were lost with their worker this many times (the worker went silent,
    /// crashed or became unreachable mid-clip) fails as poison instead of taking down the next one.
    public var poisonAfterLostWorkers: Int = 2
    /// Live connections one IP address may hold on each of the coordinator's sockets: a flood from
    /// one host is refused at its handshake instead of taking every descriptor. Raise it where more
    /// trainers than this share one address (behind NAT).
    public var maxConnectionsPerAddress: Int = 64
    /// The heartbeat log rotates at this size, keeping this many old files.
    public var heartbeatLogMaxBytes: Int
    public var heartbeatLogKeep: Int
    /// CURVE authentication (docs/PROTOCOL.md, "Security"); all unset on an open farm.
    /// The coordinator's key pair file: setting it turns authentication on.
    public var coordinatorKeyFile: String?
    /// Allow lists of public keys: workers, clients, and operators (clients that may cancel any job).
    public var workerAllowList: String?
    public var clientAllowList: String?
    public var operatorAllowList: String?
    /// What workers and clients need: the coordinator's public key (Z85) and their own key pair file.
    public var coordinatorKey: String?
    public var workerKeyFile: String?
    public var clientKeyFile: String?
    /// `HOST:PORT` where the coordinator serves Prometheus /metrics and the dashboard; nil: off.
    public var metricsAddress: String? = nil

    public init(workerEndpoint: String, clientEndpoint: String, stateDirectory: String, logsRoot: String,
                heartbeatInterval: Double, heartbeatLiveness: Int, reconnectInitial: Double,
                reconnectMax: Double, maxRetries: Int, heartbeatLogMaxBytes: Int, heartbeatLogKeep: Int) {
        self.workerEndpoint = workerEndpoint
        self.clientEndpoint = clientEndpoint
        self.stateDirectory = stateDirectory
        self.logsRoot = logsRoot
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatLiveness = heartbeatLiveness
        self.reconnectInitial = reconnectInitial
        self.reconnectMax = reconnectMax
        self.maxRetries = maxRetries
        self.heartbeatLogMaxBytes = heartbeatLogMaxBytes
        self.heartbeatLogKeep = heartbeatLogKeep
    }

    /// Identical to `configs/farm.yaml` (a test keeps them in sync). Timings are the ZeroMQ guide's
    /// Paranoid Pirate pattern (zguide chapter 4, `ppqueue`/`ppworker`): 1 s heartbeats, 3 missed =
    /// lost, reconnect backoff 1 s doubling to 32 s.
    public static let builtIn = FarmSettings(
        workerEndpoint: "tcp://127.0.0.1:5555", clientEndpoint: "tcp://127.0.0.1:5556",
        stateDirectory: ".farm", logsRoot: "logs",
        heartbeatInterval: 1.0, heartbeatLiveness: 3, reconnectInitial: 1.0, reconnectMax: 32.0,
        maxRetries: 2, heartbeatLogMaxBytes: 10_485_760, heartbeatLogKeep: 3)

    /// Seconds of silence after which a peer is lost.
    public var peerTimeout: Double { heartbeatInterval * Double(heartbeatLiveness) }

    /// ZeroMQ transports the farm uses.
    public static let endpointSchemes = ["tcp://", "ipc://", "inproc://"]

    /// The first problem with these settings, as (key, reason), or nil.
    public var problem: (key: String, reason: String)? {
        for (key, endpoint) in [("worker_endpoint", workerEndpoint), ("client_endpoint", clientEndpoint)] {
            guard let scheme = Self.endpointSchemes.first(where: endpoint.hasPrefix),
                  endpoint.count > scheme.count else {
                return (key, "'\(endpoint)' is not a ZeroMQ endpoint (\(Self.endpointSchemes.joined(separator: ", ")))")
            }
        }
        if workerEndpoint == clientEndpoint { return ("client_endpoint", "must differ from worker_endpoint") }
        if stateDirectory.isEmpty { return ("state_dir", "is empty") }
        if logsRoot.isEmpty { return ("logs_root", "is empty") }
        if !(heartbeatInterval.isFinite && heartbeatInterval > 0) { return ("heartbeat_interval_s", "must be a positive number of seconds") }
        if heartbeatLiveness < 1 { return ("heartbeat_liveness", "must be at least 1") }
        if !(reconnectInitial.isFinite && reconnectInitial > 0) { return ("reconnect_initial_s", "must be a positive number of seconds") }
        if !(reconnectMax.isFinite && reconnectMax >= reconnectInitial) { return ("reconnect_max_s", "must be at least reconnect_initial_s") }
        if maxRetries < 0 { return ("max_retries", "must be 0 or more") }
        if poisonAfterLostWorkers < 1 { return ("poison_after_lost_workers", "must be at least 1") }
        if maxConnectionsPerAddress < 1 { return ("max_connections_per_address", "must be at least 1") }
        if heartbeatLogMaxBytes < 1 { return ("heartbeat_log_max_bytes", "must be at least 1") }
        if heartbeatLogKeep < 0 { return ("heartbeat_log_keep", "must be 0 or more") }
        if let metricsAddress, metricsAddress.split(separator: ":").count < 2 {
            return ("metrics_address", "'\(metricsAddress)' is not HOST:PORT (e.g. 127.0.0.1:9464)")
        }
        return nil
    }
}
