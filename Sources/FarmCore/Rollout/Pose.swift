import Foundation

/// A rigid transform: position and unit quaternion (x, y, z, w), as stored in body_q rows.
public struct Pose: Hashable, Sendable {
    public var position: Vec3
    public var qx: Double, qy: Double, qz: Double, qw: Double

    public init(position: Vec3, qx: Double = 0, qy: Double = 0, qz: Double = 0, qw: Double = 1) {
        self.position = position
        self.qx = qx
        self.qy = qy
        self.qz = qz
        self.qw = qw
    }

    public static let identity = Pose(position: Vec3(0, 0, 0))

    /// The seven numbers `[px, py, pz, qx, qy, qz, qw]`.
    public var components: [Double] { [position.x, position.y, position.z, qx, qy, qz, qw] }

    public init(components c: [Double]) {
        precondition(c.count == 7, "a pose has 7 components")
        self.init(position: Vec3(c[0], c[1], c[2]), qx: c[3], qy: c[4], qz: c[5], qw: c[6])
    }

    /// A rotation of `angle` radians about a unit `axis`.
    public static func rotation(axis: Vec3, angle: Double, position: Vec3 = Vec3(0, 0, 0)) -> Pose {
        let s = sin(angle / 2)
        return Pose(position: position, qx: axis.x * s, qy: axis.y * s, qz: axis.z * s, qw: cos(angle / 2))
    }
}
