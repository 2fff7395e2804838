import ArgumentParser
import FarmCore

/// `--config-dir`, shared by every subcommand that reads `configs/`.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config-dir"),
            help: "Directory holding presets.yaml, farm.yaml and tasks/ (default: $FARM_CONFIG_DIR, ./configs, the package's configs/, else built-in).")
    var configDirectory: String?

    /// The configuration, or exits with the reason on stderr.
    func load() throws -> FarmConfiguration {
        do {
            return try FarmConfiguration.discover(explicitDirectory: configDirectory)
        } catch {
            throw CommandFailure(message: String(describing: error))
        }
    }
}
