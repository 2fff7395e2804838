/// Where the video backend comes from (`VideoRecorderCfg.backend_source`).
public enum BackendSource: String, Sendable, CaseIterable {
    /// An active `kit` or `newton` visualizer decides; otherwise the physics/renderer stack does.
    case visualizer
    /// Visualizers are ignored; the physics/renderer stack decides.
    case renderer

    /// Parses the value as Isaac Lab does: exact, case-sensitive.
    public init(validating text: String) throws(BackendResolutionError) {
        guard let source = BackendSource(rawValue: text) else { throw .invalidBackendSource(text) }
        self = source
    }
}
