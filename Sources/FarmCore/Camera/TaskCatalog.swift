/// Task configs by task id, plus the entry used for tasks the farm has no file for.
public struct TaskCatalog: Sendable, Hashable {
    /// The name of the fallback entry (`configs/tasks/default.yaml`).
    public static let defaultTaskName = "default"

    public let tasks: [String: TaskConfig]

    /// Every entry is validated; a `default` entry is required.
    public init(tasks: [TaskConfig]) throws(CameraConfigError) {
        var byName: [String: TaskConfig] = [:]
        for task in tasks {
            if byName[task.name] != nil {
                throw .invalidValue(field: "task", value: "'\(task.name)'", origin: "task catalog", reason: "is defined twice")
            }
            byName[task.name] = try task.validated()
        }
        guard byName[Self.defaultTaskName] != nil else {
            throw .invalidValue(field: "task", value: "'\(Self.defaultTaskName)'", origin: "task catalog", reason: "is missing")
        }
        self.tasks = byName
    }

    public var names: [String] { tasks.keys.sorted() }

    /// The task's own entry, or the default entry renamed to the task, so any task id can be
    /// recorded with Isaac Lab's default camera.
    public func config(forTask name: String) -> TaskConfig {
        if let task = tasks[name] { return task }
        var fallback = tasks[Self.defaultTaskName]!
        fallback.name = name
        return fallback
    }

    /// This catalog with `other`'s entries added, replacing same-named ones.
    public func overlaid(with other: [TaskConfig]) throws(CameraConfigError) -> TaskCatalog {
        var merged = tasks
        for task in other { merged[task.name] = task }
        return try TaskCatalog(tasks: merged.values.sorted { $0.name < $1.name })
    }
}
