/// The RL libraries Isaac Lab ships training scripts for; each names a folder under the logs root.
///
/// Other names are accepted as long as they are safe path components: custom trainers log the same
/// way, and refusing them would only push users to mislabel their runs. `isKnown` tells them apart.
public enum Workflow {
    public static let known: [String] = ["rl_games", "rsl_rl", "skrl", "sb3"]

    public static func isKnown(_ name: String) -> Bool { known.contains(name) }
}
