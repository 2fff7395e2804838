import FarmCore
import Foundation

/// A Cartpole-shaped scene for measuring the renderer until FarmSim's simulated rollout is used:
/// Isaac Gym cartpole dimensions (rail 0.03×8×0.03 m, cart 0.2×0.25×0.2 m, pole 0.04×0.06×1.0 m
/// with its centre 0.47 m above the hinge, cart at z = 2.0) on Isaac Lab's env grid, with the cart
/// and pole swinging on sinusoids (the renderer's cost does not depend on the dynamics).
enum BenchCartpole {
    static let cartHeight = 2.0
    static let poleCentreAboveHinge = 0.47

    static func header(envs: Int, spacing: Double, steps: Int) -> RolloutHeader {
        var shapes = [ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1)]
        for env in 0..<envs {
            shapes.append(ShapeSpec(geometry: .box(halfExtents: Vec3(0.015, 4.0, 0.015)), body: 3 * env))
            shapes.append(ShapeSpec(geometry: .box(halfExtents: Vec3(0.1, 0.125, 0.1)), body: 3 * env + 1))
            shapes.append(ShapeSpec(geometry: .box(halfExtents: Vec3(0.02, 0.03, 0.5)), body: 3 * env + 2))
        }
        return RolloutHeader(stepDT: 1.0 / 60, steps: steps, numBodies: 3 * envs, numEnvs: envs, envSpacing: spacing,
                             viewer: .init(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)), shapes: shapes)
    }

    /// Isaac Lab's grid: rows = ceil(sqrt(n)), centred on the world origin.
    static func envOrigins(envs: Int, spacing: Double) -> [Vec3] {
        let rows = Int((Double(envs).squareRoot()).rounded(.up))
        let cols = (envs + rows - 1) / rows
        return (0..<envs).map { e in
            Vec3(spacing * (Double(e / cols) - Double(rows - 1) / 2), spacing * (Double(e % cols) - Double(cols - 1) / 2), 0)
        }
    }

    static func poses(envs: Int, spacing: Double, steps: Range<Int>) -> BodyPoseRows {
        let origins = envOrigins(envs: envs, spacing: spacing)
        var values: [Float] = []
        values.reserveCapacity(steps.count * envs * 3 * 7)
        for step in steps {
            let t = Double(step) / 60
            for (e, origin) in origins.enumerated() {
                let phase = Double(e) * 0.7
                let cartY = 0.8 * sin(2 * .pi * 0.3 * t + phase)
                let angle = 0.5 * sin(2 * .pi * 0.7 * t + phase)
                let hinge = origin + Vec3(0, cartY, cartHeight)
                let pole = hinge + Vec3(0, -sin(angle), cos(angle)) * poleCentreAboveHinge
                let q = (sin(angle / 2), cos(angle / 2))
                values += [Float(origin.x), Float(origin.y), Float(cartHeight), 0, 0, 0, 1]
                values += [Float(hinge.x), Float(hinge.y), Float(hinge.z), 0, 0, 0, 1]
                values += [Float(pole.x), Float(pole.y), Float(pole.z), Float(q.0), 0, 0, Float(q.1)]
            }
        }
        return BodyPoseRows(steps: steps, numBodies: envs * 3, values: values)
    }
}
