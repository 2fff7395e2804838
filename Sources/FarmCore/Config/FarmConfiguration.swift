import Foundation

/// Everything the farm reads from `configs/`: presets, tasks and farm settings.
///
/// The built-in values mirror the repository's `configs/` exactly. A configs directory, when one
/// is found, overrides them file by file: `presets.yaml` and `farm.yaml` replace their built-in
/// counterparts when present, and each `tasks/*.yaml` adds a task or replaces the same-named one.
public struct FarmConfiguration: Sendable, Hashable {
    /// The directory read, or nil for the built-in configuration.
    public var directory: String?
    public var presets: PresetCatalog
    public var tasks: TaskCatalog
    public var farm: FarmSettings

    public init(directory: String?, presets: PresetCatalog, tasks: TaskCatalog, farm: FarmSettings) {
        self.directory = directory
        self.presets = presets
        self.tasks = tasks
        self.farm = farm
    }

    public static let builtIn = FarmConfiguration(
        directory: nil, presets: .builtIn, tasks: .builtIn, farm: .builtIn)

    /// Locates the directory (see `ConfigLocator`) and loads it, or returns the built-in values.
    public static func discover(explicitDirectory: String? = nil,
                                environment: [String: String] = ProcessInfo.processInfo.environment,
                                currentDirectory: String = FileManager.default.currentDirectoryPath,
                                executablePath: String? = CommandLine.arguments.first) throws(ConfigError) -> FarmConfiguration {
        guard let directory = try ConfigLocator.locate(
            explicitDirectory: explicitDirectory, environment: environment,
            currentDirectory: currentDirectory, executablePath: executablePath)
        else { return .builtIn }
        return try load(directory: directory)
    }

    public static func load(directory: String) throws(ConfigError) -> FarmConfiguration {
        guard ConfigLocator.isDirectory(directory) else {
            throw .missingDirectory(path: directory, namedBy: "the caller")
        }
        let base = URL(fileURLWithPath: directory)
        var configuration = FarmConfiguration.builtIn
        configuration.directory = directory

        let presetsFile = base.appendingPathComponent("presets.yaml").path
        if let text = try readIfPresent(presetsFile) {
            configuration.presets = try PresetCatalogFile.parse(text, file: presetsFile)
        }
        let farmFile = base.appendingPathComponent("farm.yaml").path
        if let text = try readIfPresent(farmFile) {
            configuration.farm = try FarmSettingsFile.parse(text, file: farmFile)
        }

        let tasksDirectory = base.appendingPathComponent("tasks").path
        if ConfigLocator.isDirectory(tasksDirectory) {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: tasksDirectory)
            } catch {
                throw .unreadable(file: tasksDirectory, reason: error.localizedDescription)
            }
            var tasks: [TaskConfig] = []
            var fileOfTask: [String: String] = [:]
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let file = URL(fileURLWithPath: tasksDirectory).appendingPathComponent(name).path
                guard let text = try readIfPresent(file) else { continue }
                let task = try TaskConfigFile.parse(text, file: file)
                if let other = fileOfTask[task.name] {
                    throw .invalid(file: file, location: "task",
                                   reason: "task '\(task.name)' is also defined in \(other)")
                }
                fileOfTask[task.name] = file
                tasks.append(task)
            }
            do {
                configuration.tasks = try configuration.tasks.overlaid(with: tasks)
            } catch {
                throw .invalid(file: tasksDirectory, location: "", reason: error.description)
            }
        }
        return configuration
    }

    private static func readIfPresent(_ path: String) throws(ConfigError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(file: path, reason: error.localizedDescription)
        }
    }
}
