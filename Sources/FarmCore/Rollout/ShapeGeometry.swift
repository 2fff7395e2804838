/// A shape's size, in Newton's parameters. Capsule, cylinder and cone extend along the shape's local Z.
public enum ShapeGeometry: Sendable, Equatable {
    case box(halfExtents: Vec3)
    case sphere(radius: Double)
    case capsule(radius: Double, halfHeight: Double)
    case cylinder(radius: Double, halfHeight: Double)
    case cone(radius: Double, halfHeight: Double)
    case ellipsoid(radii: Vec3)
    /// `width`/`length` of 0 mean an infinite ground plane.
    case plane(width: Double, length: Double)
    case mesh(index: Int, scale: Vec3)

    public var type: ShapeType {
        switch self {
        case .box: .box
        case .sphere: .sphere
        case .capsule: .capsule
        case .cylinder: .cylinder
        case .cone: .cone
        case .ellipsoid: .ellipsoid
        case .plane: .plane
        case .mesh: .mesh
        }
    }
}
