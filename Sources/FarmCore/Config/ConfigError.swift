/// A configuration file or directory that cannot be used, naming the file, the key and the line.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A directory named by `--config-dir` or `FARM_CONFIG_DIR` that is not there.
    case missingDirectory(path: String, namedBy: String)
    case unreadable(file: String, reason: String)
    case malformedYAML(file: String, reason: String)
    /// `location` is a key path such as `presets[2].name`, with the line when known.
    case invalid(file: String, location: String, reason: String)

    public var description: String {
        switch self {
        case let .missingDirectory(path, namedBy):
            "config directory '\(path)' (from \(namedBy)) does not exist or is not a directory"
        case let .unreadable(file, reason):
            "\(file): cannot be read: \(reason)"
        case let .malformedYAML(file, reason):
            "\(file): not valid YAML: \(reason)"
        case let .invalid(file, location, reason):
            location.isEmpty ? "\(file): \(reason)" : "\(file): \(location): \(reason)"
        }
    }
}
