import FarmCore
import FarmSim
import Foundation

/// A humanoid-like rollout for render benchmarks: the farm has no MJCF loader, so this builds the
/// body layout of MuJoCo's `humanoid.xml` (what Isaac-Humanoid-v0 loads) from capsules and spheres,
/// 14 bodies per env with the MJCF's segment radii and lengths (metres), on Isaac Lab's env grid
/// (5 m spacing), walking in place with sinusoidal hip, knee, shoulder and elbow angles. It has the
/// shape count and shape kinds of the real scene, not its physics.
struct HumanoidScene {
    let numEnvs: Int
    let steps: Int
    static let envSpacing = 5.0
    static let stepDT = 1.0 / 60

    /// Body index within one env, and its shape (capsules extend along their local Z).
    private enum Part: Int, CaseIterable {
        case torso, head, waist, pelvis
        case thighRight, shinRight, footRight, thighLeft, shinLeft, footLeft
        case armRight, forearmRight, armLeft, forearmLeft

        var geometry: ShapeGeometry {
            switch self {
            case .torso: .capsule(radius: 0.07, halfHeight: 0.07)
            case .head: .sphere(radius: 0.09)
            case .waist: .capsule(radius: 0.06, halfHeight: 0.06)
            case .pelvis: .capsule(radius: 0.09, halfHeight: 0.07)
            case .thighRight, .thighLeft: .capsule(radius: 0.06, halfHeight: 0.17)
            case .shinRight, .shinLeft: .capsule(radius: 0.049, halfHeight: 0.15)
            case .footRight, .footLeft: .sphere(radius: 0.075)
            case .armRight, .armLeft: .capsule(radius: 0.04, halfHeight: 0.14)
            case .forearmRight, .forearmLeft: .capsule(radius: 0.031, halfHeight: 0.13)
            }
        }
    }

    var header: RolloutHeader {
        var shapes = [ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1)]
        for env in 0..<numEnvs {
            for part in Part.allCases {
                shapes.append(ShapeSpec(geometry: part.geometry, body: env * Part.allCases.count + part.rawValue))
            }
        }
        return RolloutHeader(stepDT: Self.stepDT, steps: steps, numBodies: numEnvs * Part.allCases.count,
                             numEnvs: numEnvs, envSpacing: Self.envSpacing,
                             viewer: .init(eye: Vec3(7.5, 7.5, 7.5), lookat: Vec3(0, 0, 0)), shapes: shapes)
    }

    func rollout() throws -> InMemoryRollout {
        let origins = EnvGrid.origins(numEnvs: numEnvs, spacing: Self.envSpacing)
        var values: [Float] = []
        values.reserveCapacity(steps * numEnvs * Part.allCases.count * RolloutFormat.floatsPerPose)
        for step in 0..<steps {
            for (env, origin) in origins.enumerated() {
                let phase = Double(step) * Self.stepDT * 2 * .pi + Double(env) * 0.37
                for pose in Self.poses(phase: phase) {
                    let p = pose.position
                    values += [Float(origin.x + p.x), Float(origin.y + p.y), Float(p.z),
                               0, Float(sin(pose.pitch / 2)), 0, Float(cos(pose.pitch / 2))]
                }
            }
        }
        return try InMemoryRollout(header: header, bodyQ: values)
    }

    /// World position (env frame) and pitch about Y of each part, in `Part` order.
    private static func poses(phase: Double) -> [(position: Vec3, pitch: Double)] {
        let bob = 0.02 * sin(2 * phase)
        let z = 1.4 + bob
        // A segment hanging from `joint` at `pitch` (0 = straight down); returns its centre and far end.
        func segment(_ joint: Vec3, pitch: Double, length: Double) -> (centre: Vec3, end: Vec3) {
            let direction = Vec3(-sin(pitch), 0, -cos(pitch))
            return (joint + direction * (length / 2), joint + direction * length)
        }
        var poses: [(Vec3, Double)] = [
            (Vec3(0, 0, z), 0), (Vec3(0, 0, z + 0.19), 0), (Vec3(-0.01, 0, z - 0.26), 0), (Vec3(-0.02, 0, z - 0.42), 0),
        ]
        for side in [-1.0, 1.0] {
            let hipAngle = 0.5 * sin(phase + (side < 0 ? 0 : .pi))
            let kneeAngle = hipAngle - 0.6 * max(0, sin(phase + (side < 0 ? 0.5 : .pi + 0.5)))
            let thigh = segment(Vec3(0, side * 0.1, z - 0.46), pitch: hipAngle, length: 0.34)
            let shin = segment(thigh.end, pitch: kneeAngle, length: 0.3)
            poses += [(thigh.centre, hipAngle), (shin.centre, kneeAngle), (shin.end, 0)]
        }
        let rightArm = segment(Vec3(0, -0.17, z + 0.06), pitch: -0.4 * sin(phase), length: 0.28)
        let forearm = segment(rightArm.end, pitch: -0.4 * sin(phase) - 0.8, length: 0.26)
        let leftArm = segment(Vec3(0, 0.17, z + 0.06), pitch: 0.4 * sin(phase), length: 0.28)
        let leftForearm = segment(leftArm.end, pitch: 0.4 * sin(phase) - 0.8, length: 0.26)
        poses += [(rightArm.centre, -0.4 * sin(phase)), (forearm.centre, -0.4 * sin(phase) - 0.8),
                  (leftArm.centre, 0.4 * sin(phase)), (leftForearm.centre, 0.4 * sin(phase) - 0.8)]
        return poses.map { (position: $0.0, pitch: $0.1) }
    }
}
