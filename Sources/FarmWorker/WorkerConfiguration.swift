import FarmCore
import FarmWire
import Foundation

/// Everything `WorkerDaemon` needs besides its producer; defaults are the protocol's.
public struct WorkerConfiguration: Sendable {
    /// The coordinator's worker endpoint, e.g. `tcp://head:5555`.
    public var coordinator: String
    /// Heartbeats both ways (1 s).
    public var heartbeatInterval: Duration
    /// Silent intervals after which a coordinator that has answered counts as lost on a clean link
    /// (3); one whose link has shown retransmission stalls is allowed more (`silenceRule`).
    public var livenessIntervals: Int
    /// Intervals a new connection may take to hear its first answer (10): set-up is several round
    /// trips (TCP, the ZMTP greeting, READY and the first HEARTBEAT), and each lost packet among them
    /// costs a retransmission timeout that starts at 1 s and doubles. A connected coordinator whose
    /// link has stalled is allowed `SilenceRule.defaultCappedBeats` (or this, if more).
    public var connectIntervals: Int
    public var backoff: ReconnectBackoff
    /// Where each heartbeat's Unix time is written (a Kubernetes liveness probe reads it).
    public var healthFile: String?
    /// Print each heartbeat as one JSON line on stdout.
    public var printHeartbeats: Bool
    /// Turns a task's preset names into a physics manager and renderer types.
    public var presets: PresetCatalog
    /// The scratch root: each worker process writes its clips in its own locked `run-<pid>-<hex>`
    /// folder under it, and removes dead workers' folders there on start (workers may share it).
    public var scratchDirectory: String
    /// Stable for the process: `host-pid-random`.
    public var workerId: String
    public var host: String
    public var pid: Int
    /// The farm build's version, reported in READY.
    public var version: String
    public var limits: WireLimits
    /// How long a leaving worker's socket lingers so its last RESULT and DISCONNECT get out.
    public var drainLinger: Duration
    /// CURVE keys for an authenticated coordinator (docs/PROTOCOL.md, "Security"); nil connects open.
    public var curve: CurveClientKeys?

    public init(coordinator: String, heartbeatInterval: Duration = .seconds(1), livenessIntervals: Int = 3,
                connectIntervals: Int = 10,
                backoff: ReconnectBackoff = ReconnectBackoff(), healthFile: String? = nil, printHeartbeats: Bool = true,
                presets: PresetCatalog = PresetCatalog.builtIn, scratchDirectory: String? = nil,
                workerId: String? = nil, version: String = FarmWorkerVersion.current,
                limits: WireLimits = .standard, drainLinger: Duration = .seconds(5)) {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        let id = workerId ?? "\(WorkerIdentity.idPart(host))-\(pid)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        self.coordinator = coordinator
        self.heartbeatInterval = heartbeatInterval
        self.livenessIntervals = livenessIntervals
        self.connectIntervals = connectIntervals
        self.backoff = backoff
        self.healthFile = healthFile
        self.printHeartbeats = printHeartbeats
        self.presets = presets
        self.scratchDirectory = scratchDirectory ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("farm-worker")
        self.workerId = id
        self.host = host
        self.pid = pid
        self.version = version
        self.limits = limits
        self.drainLinger = drainLinger
    }

    /// How long a connected coordinator may stay silent, given the gaps it has shown.
    public var silenceRule: SilenceRule {
        SilenceRule(interval: heartbeatInterval.seconds, missedBeats: livenessIntervals,
                    cappedBeats: max(SilenceRule.defaultCappedBeats, connectIntervals, livenessIntervals))
    }

    /// A new connection that has heard nothing for this long is given up.
    public var connectTimeout: Duration { heartbeatInterval * connectIntervals }
}

/// What READY announces; python/renderfarm/_version.py owns the number (VersionTests checks).
public enum FarmWorkerVersion {
    public static let current = "0.1.0"
}
