/// The outcome of backend resolution: the capture backend, the visualizer that chose it (if any),
/// and the warnings Isaac Lab would have logged on the way.
public struct BackendResolution: Sendable, Hashable {
    public let backend: VideoBackend
    public let matchedVisualizer: MatchedVisualizer?
    public let warnings: [String]

    public init(backend: VideoBackend, matchedVisualizer: MatchedVisualizer?, warnings: [String]) {
        self.backend = backend
        self.matchedVisualizer = matchedVisualizer
        self.warnings = warnings
    }

    public var cameraSync: CameraSync { matchedVisualizer?.cameraSync ?? .none }
}
