/// What the farm knows about a training task (`configs/tasks/*.yaml`): its viewer, the size it is
/// recorded at and the simulation facts that set a clip's frame rate and scene layout.
public struct TaskConfig: Sendable, Hashable {
    /// The Gym task id, e.g. `Isaac-Cartpole-v0`; `default` for the fallback entry.
    public var name: String
    public var viewer: ViewerConfig
    public var frameSize: FrameSize
    /// Seconds per env step (sim dt × decimation); `nil` when unknown.
    public var stepDt: Double?
    public var numEnvs: Int?
    public var envSpacing: Double?
    /// The RL library the task trains with by default (`rl_games`, ...), naming its logs folder.
    public var workflow: String?

    public init(name: String, viewer: ViewerConfig, frameSize: FrameSize = .recorderDefault,
                stepDt: Double? = nil, numEnvs: Int? = nil, envSpacing: Double? = nil, workflow: String? = nil) {
        self.name = name
        self.viewer = viewer
        self.frameSize = frameSize
        self.stepDt = stepDt
        self.numEnvs = numEnvs
        self.envSpacing = envSpacing
        self.workflow = workflow
    }

    /// gymnasium's rule: `render_fps = 1/step_dt`, else 30 fps.
    public var frameRate: FrameRate {
        get throws(FrameRateError) {
            guard let stepDt else { return FrameRate(numerator: 30, denominator: 1) }
            return try FrameRate(stepDT: stepDt)
        }
    }

    /// Refuses values no recorder could use, naming the field.
    public func validated() throws(CameraConfigError) -> TaskConfig {
        let origin = "task '\(name)'"
        try CameraConfigError.check(viewer.view, origin: "\(origin) viewer")
        try CameraConfigError.check(frameSize, origin: origin)
        if let stepDt {
            do {
                try FrameRate.check(stepDT: stepDt, field: "step_dt")
            } catch {
                throw .invalidValue(field: "step_dt", value: "\(stepDt)", origin: origin,
                                    reason: "is outside \(FrameRate.stepDTRange) seconds (\(error))")
            }
        }
        if let numEnvs, numEnvs < 1 {
            throw .invalidValue(field: "num_envs", value: "\(numEnvs)", origin: origin, reason: "must be at least 1")
        }
        if let envSpacing, !(envSpacing.isFinite && envSpacing >= 0) {
            throw .invalidValue(field: "env_spacing", value: "\(envSpacing)", origin: origin, reason: "must be a finite number of metres, not negative")
        }
        return self
    }
}
