extension TaskCatalog {
    /// The task configs compiled in, identical to `configs/tasks/*.yaml` (a test keeps them in
    /// sync). Cartpole's facts are Isaac Lab's `cartpole_env_cfg.py`: viewer eye (8, 0, 5) → (0, 0, 0),
    /// sim dt 1/120 × decimation 2 = step_dt 1/60 (60 fps), 4096 envs 4 m apart.
    public static let builtIn: TaskCatalog = {
        func cartpole(_ name: String) -> TaskConfig {
            TaskConfig(name: name,
                       viewer: ViewerConfig(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0), originType: .world),
                       frameSize: .recorderDefault, stepDt: 1.0 / 60.0, numEnvs: 4096, envSpacing: 4.0,
                       workflow: "rl_games")
        }
        do {
            return try TaskCatalog(tasks: [
                TaskConfig(name: defaultTaskName, viewer: .isaacLabDefault, frameSize: .recorderDefault),
                cartpole("Isaac-Cartpole-v0"),
                cartpole("Isaac-Cartpole-Direct-v0"),
            ])
        } catch {
            preconditionFailure("the built-in task catalog is invalid: \(error)")
        }
    }()
}
