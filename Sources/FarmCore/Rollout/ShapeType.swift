/// The shape types of a rollout, with Newton's size parameters.
public enum ShapeType: String, Sendable, Codable, CaseIterable {
    case box, sphere, capsule, cylinder, cone, ellipsoid, plane, mesh
}
