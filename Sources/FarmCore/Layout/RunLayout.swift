/// Where a run's clips land: `<logs-root>/<workflow>/<task>/<run>/videos/train`, as Isaac Lab's
/// training scripts lay them out.
public struct RunLayout: Sendable, Hashable {
    public let logsRoot: String
    public let workflow: PathComponent
    public let task: PathComponent
    public let run: PathComponent

    /// Linux's PATH_MAX (`<linux/limits.h>`), which counts the terminating NUL.
    public static let maxPathBytes = 4096

    /// Checks each name, and that any clip path in the video folder (its name up to
    /// `PathComponent.maxBytes`) stays within PATH_MAX, so no clip can fail at filing for its length.
    public init(logsRoot: String, workflow: String, task: String, run: String) throws(LayoutError) {
        if logsRoot.isEmpty { throw .emptyLogsRoot }
        self.logsRoot = logsRoot
        self.workflow = try PathComponent(workflow, field: .workflow)
        self.task = try PathComponent(task, field: .task)
        self.run = try PathComponent(run, field: .run)
        let directoryBytes = videoDirectory.utf8.count
        if directoryBytes + 1 + PathComponent.maxBytes + 1 > Self.maxPathBytes {
            throw .pathTooLong(directory: videoDirectory, bytes: directoryBytes)
        }
    }

    /// Relative to the logs root: `<workflow>/<task>/<run>`.
    public var runPath: String { "\(workflow)/\(task)/\(run)" }

    /// Relative to the logs root: `<workflow>/<task>/<run>/videos/train`.
    public var relativeVideoDirectory: String { "\(runPath)/videos/train" }

    public var videoDirectory: String { Self.join(logsRoot, relativeVideoDirectory) }

    /// The path of a clip file in the video directory; the file name is checked like the others.
    public func clipPath(file: String) throws(LayoutError) -> String {
        let name = try PathComponent(file, field: .file)
        return Self.join(videoDirectory, name.value)
    }

    private static func join(_ base: String, _ rest: String) -> String {
        base.hasSuffix("/") ? base + rest : base + "/" + rest
    }
}
