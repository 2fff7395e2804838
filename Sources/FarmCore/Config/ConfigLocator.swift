import Foundation

/// Finds the `configs/` directory, first match wins:
/// 1. `--config-dir` (must exist), 2. `FARM_CONFIG_DIR` (must exist), 3. `./configs`,
/// 4. a `configs/` holding `presets.yaml` beside the executable or in one of its parent folders
///    (a SwiftPM build puts binaries in `<package>/.build/<triple>/<config>/`).
/// Nil means none was found: the built-in configuration applies.
public enum ConfigLocator {
    public static let environmentVariable = "FARM_CONFIG_DIR"
    static let ancestorLimit = 6

    public static func locate(explicitDirectory: String?,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: String = FileManager.default.currentDirectoryPath,
                              executablePath: String? = CommandLine.arguments.first) throws(ConfigError) -> String? {
        if let explicitDirectory {
            guard isDirectory(explicitDirectory) else {
                throw .missingDirectory(path: explicitDirectory, namedBy: "--config-dir")
            }
            return explicitDirectory
        }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            guard isDirectory(fromEnvironment) else {
                throw .missingDirectory(path: fromEnvironment, namedBy: environmentVariable)
            }
            return fromEnvironment
        }
        let local = URL(fileURLWithPath: currentDirectory).appendingPathComponent("configs").path
        if isDirectory(local) { return local }
        guard let executablePath, !executablePath.isEmpty else { return nil }
        var folder = URL(fileURLWithPath: executablePath, relativeTo: URL(fileURLWithPath: currentDirectory))
            .standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<ancestorLimit {
            let candidate = folder.appendingPathComponent("configs")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("presets.yaml").path) {
                return candidate.path
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        return nil
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
