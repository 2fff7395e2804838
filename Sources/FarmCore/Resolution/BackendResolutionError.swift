/// The two errors of Isaac Lab's `_resolve_video_backend`; `description` is their text, verbatim.
public enum BackendResolutionError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidBackendSource(String)
    case noSupportedBackend

    public var description: String {
        switch self {
        case .invalidBackendSource:
            "VideoRecorderCfg.backend_source must be either 'visualizer' or 'renderer'."
        case .noSupportedBackend:
            "Video recording (--video) requires a supported backend: "
                + "PhysX or Isaac RTX renderer (Kit camera), or Newton physics / Newton Warp renderer (GL viewer). "
                + "No supported backend detected; do not use --video for this setup."
        }
    }
}
