/// Isaac Lab's grid of environment origins (`TerrainImporter` grid / `InteractiveScene`):
/// rows along -X, columns along +Y, centred on the world origin.
public enum EnvGrid {
    public static func origins(numEnvs: Int, spacing: Double) -> [(x: Double, y: Double)] {
        precondition(numEnvs >= 1, "at least one environment")
        let rows = Int((Double(numEnvs) / Double(Int(Double(numEnvs).squareRoot()))).rounded(.up))
        let columns = Int((Double(numEnvs) / Double(rows)).rounded(.up))
        return (0..<numEnvs).map { index in
            let (i, j) = (index / columns, index % columns)
            return (x: -(Double(i) - Double(rows - 1) / 2) * spacing,
                    y: (Double(j) - Double(columns - 1) / 2) * spacing)
        }
    }
}
