/// What a worker can render beyond a lit RGB clip from a world-fixed camera, announced in READY's
/// `features`. A TASK older workers would misread (they ignore unknown fields) goes only to workers
/// that announce what it needs, the way `backends` gates backends.
public enum WorkerFeature: String, Sendable, CaseIterable, Codable {
    /// TASK `output`: `depth`, `normals`, `segmentation`.
    case outputs
    /// TASK `camera.origin_body` / `camera.origin_point`: a camera that follows an origin.
    case cameraOrigin = "camera_origin"
}
