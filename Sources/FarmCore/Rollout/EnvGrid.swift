/// Isaac Lab's grid of environment origins (`TerrainImporter._compute_env_origins_grid`, Isaac Lab 2.x):
/// rows along -X, columns along +Y, centred on the world origin. A rollout without `env_origins` has its
/// envs here; the built-in Cartpole places its envs here.
public enum EnvGrid {
    public static func origins(numEnvs: Int, spacing: Double) -> [(x: Double, y: Double)] {
        (0..<numEnvs).map { index in
            let origin = origin(index, numEnvs: numEnvs, spacing: spacing)
            return (x: origin.x, y: origin.y)
        }
    }

    /// The origin of env `index` of `numEnvs`, at height 0, without building the whole grid.
    public static func origin(_ index: Int, numEnvs: Int, spacing: Double) -> Vec3 {
        precondition((0..<numEnvs).contains(index), "env index in range")
        let rows = Int((Double(numEnvs) / Double(Int(Double(numEnvs).squareRoot()))).rounded(.up))
        let columns = Int((Double(numEnvs) / Double(rows)).rounded(.up))
        let (i, j) = (index / columns, index % columns)
        return Vec3(-(Double(i) - Double(rows - 1) / 2) * spacing, (Double(j) - Double(columns - 1) / 2) * spacing, 0)
    }
}
