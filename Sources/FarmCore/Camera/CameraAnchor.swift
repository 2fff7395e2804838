/// What a clip's eye and lookat are measured from, once a camera origin has been resolved against
/// a rollout (`CameraOrigin.resolve`). With an anchor other than `world`, eye and lookat are offsets
/// added to the anchor's position, re-evaluated every frame: the view translates with the origin and
/// never rotates with it, as Isaac Lab's viewport camera controller and Kit visualizer do.
public enum CameraAnchor: Sendable, Hashable, Codable {
    /// eye and lookat are world positions.
    case world
    /// A fixed point: an env's origin.
    case point(Vec3)
    /// A rollout body (an index into each body_q row): its position at each frame's step.
    case body(Int)

    /// The frame's camera: `offset` moved by the anchor's position, read through `bodyPosition`.
    public func view(offset: CameraView, bodyPosition: (Int) -> Vec3) -> CameraView {
        let origin: Vec3
        switch self {
        case .world: return offset
        case .point(let point): origin = point
        case .body(let body): origin = bodyPosition(body)
        }
        return CameraView(eye: offset.eye + origin, lookat: offset.lookat + origin)
    }
}
