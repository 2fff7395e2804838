/// The visualizer that drove backend selection, when one did.
public enum MatchedVisualizer: String, Sendable, CaseIterable, Codable {
    case kit
    case newton

    /// Isaac Lab's `_VISUALIZER_TO_VIDEO_BACKEND`.
    public var backend: VideoBackend {
        switch self {
        case .kit: .kit
        case .newton: .newtonGL
        }
    }

    /// How the recorder's camera follows this visualizer.
    public var cameraSync: CameraSync {
        switch self {
        case .kit: .initialFromVisualizer
        case .newton: .livePerFrame
        }
    }
}
