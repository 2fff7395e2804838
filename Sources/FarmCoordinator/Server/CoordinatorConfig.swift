import FarmCore
import FarmWire

/// Everything a coordinator needs to start. Tests use the defaults: free loopback ports
/// (`tcp://127.0.0.1:0`, the bound port is read back from `Coordinator.workerEndpoint`).
public struct CoordinatorConfig: Sendable {
    public var stateDirectory: String
    public var logsRoot: String
    public var workerEndpoint: String
    public var clientEndpoint: String
    public var policy: SchedulerPolicy
    public var heartbeatLogMaxBytes: Int
    public var heartbeatLogKeep: Int
    /// Presets and task configs used to check submissions.
    public var farm: FarmConfiguration
    public var limits: WireLimits
    public var submissionLimits: SubmissionLimits
    public var uploadLimits: UploadLimits
    public var queueLimits: QueueLimits
    public var clock: any CoordinatorClock
    /// CURVE authentication of both sockets; nil serves them open (a local farm on loopback).
    public var security: CoordinatorSecurity?
    /// Seconds between attempts to file held clips while filing is paused (a full logs root).
    public var filingRetryInterval: Double
    /// What failed jobs' rollouts may keep of the spool.
    public var failedRolloutRetention = FailedRolloutRetention.standard
    /// Live connections one IP address may hold on each socket (`HandshakeGate`).
    public var maxConnectionsPerAddress: Int = FarmSettings.builtIn.maxConnectionsPerAddress

    public init(stateDirectory: String, logsRoot: String, workerEndpoint: String = "tcp://127.0.0.1:0",
                clientEndpoint: String = "tcp://127.0.0.1:0", policy: SchedulerPolicy = SchedulerPolicy(),
                heartbeatLogMaxBytes: Int = 10 << 20, heartbeatLogKeep: Int = 3, farm: FarmConfiguration = .builtIn,
                limits: WireLimits = .standard, submissionLimits: SubmissionLimits = .standard,
                uploadLimits: UploadLimits = .standard, queueLimits: QueueLimits = .standard,
                clock: any CoordinatorClock = SystemClock(),
                security: CoordinatorSecurity? = nil, filingRetryInterval: Double = 5) {
        self.stateDirectory = stateDirectory
        self.logsRoot = logsRoot
        self.workerEndpoint = workerEndpoint
        self.clientEndpoint = clientEndpoint
        self.policy = policy
        self.heartbeatLogMaxBytes = heartbeatLogMaxBytes
        self.heartbeatLogKeep = heartbeatLogKeep
        self.farm = farm
        self.limits = limits
        self.submissionLimits = submissionLimits
        self.uploadLimits = uploadLimits
        self.queueLimits = queueLimits
        self.clock = clock
        self.security = security
        self.filingRetryInterval = filingRetryInterval
    }

    /// The settings of `configs/farm.yaml` (already merged with flags and environment by the caller).
    public init(farm: FarmConfiguration) {
        let settings = farm.farm
        self.init(stateDirectory: settings.stateDirectory, logsRoot: settings.logsRoot,
                  workerEndpoint: settings.workerEndpoint, clientEndpoint: settings.clientEndpoint,
                  policy: SchedulerPolicy(maxRetries: settings.maxRetries,
                                          poisonAfterLostWorkers: settings.poisonAfterLostWorkers,
                                          liveness: Liveness(interval: settings.heartbeatInterval,
                                                             missedBeats: settings.heartbeatLiveness),
                                          stallTimeout: settings.clipStallTimeout),
                  heartbeatLogMaxBytes: settings.heartbeatLogMaxBytes, heartbeatLogKeep: settings.heartbeatLogKeep,
                  farm: farm)
        maxConnectionsPerAddress = settings.maxConnectionsPerAddress
    }
}
