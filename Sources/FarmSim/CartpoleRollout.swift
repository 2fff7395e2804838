import FarmCore
import Foundation

/// The built-in Cartpole run: Isaac Lab's `Isaac-Cartpole-v0` scene (Isaac Gym cartpole
/// dimensions) on Isaac Lab's env grid, driven by random actions, so the farm can record a
/// training-like rollout with no trainer attached.
public struct CartpoleRollout: Sendable {
    public struct Settings: Sendable, Equatable {
        public var steps: Int
        public var numEnvs: Int
        public var seed: UInt64
        public var envSpacing = 4.0
        /// Physics substep (Isaac Lab's sim dt) and substeps per env step (decimation).
        public var simDT = 1.0 / 120
        public var decimation = 2
        /// Episode length in env steps (5 s at 60 Hz).
        public var episodeSteps = 300

        public init(steps: Int, numEnvs: Int, seed: UInt64 = 42) {
            self.steps = steps
            self.numEnvs = numEnvs
            self.seed = seed
        }

        public var stepDT: Double { simDT * Double(decimation) }
    }

    public enum SettingsError: Error, CustomStringConvertible, Equatable {
        case invalid(String)
        public var description: String {
            switch self {
            case .invalid(let reason): "built-in cartpole: \(reason)"
            }
        }
    }

    /// Asset dimensions, metres.
    public static let railHalfExtents = Vec3(0.015, 4.0, 0.015)
    public static let cartHalfExtents = Vec3(0.1, 0.125, 0.1)
    public static let poleHalfExtents = Vec3(0.02, 0.03, 0.5)
    /// Height of the cart (and rail) above the env origin.
    public static let cartHeight = 2.0
    /// Hinge to pole centre.
    public static let poleCentreOffset = 0.47
    /// Isaac Lab terminates an episode when the cart leaves ±3 m or the pole passes ±90°.
    public static let cartLimit = 3.0
    public static let bodiesPerEnv = 3
    /// The asset a camera can follow (`asset_root` is the rail, `asset_body` `cart` or `pole`): the names
    /// of Isaac Lab's cartpole articulation, in body_q order within each env.
    public static let assetName = "robot"
    public static let bodyNames = ["rail", "cart", "pole"]

    public let settings: Settings
    public let dynamics = CartPoleDynamics()

    public init(_ settings: Settings) throws(SettingsError) {
        guard settings.steps >= 1 else { throw .invalid("--steps must be at least 1, got \(settings.steps)") }
        guard settings.numEnvs >= 1 else { throw .invalid("--num_envs must be at least 1, got \(settings.numEnvs)") }
        self.settings = settings
    }

    /// Rail, cart and pole per env (bodies 3e, 3e+1, 3e+2), plus the ground plane; the asset `robot`
    /// names them, and the env origins are recorded.
    public var header: RolloutHeader {
        var shapes = [ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1)]
        for env in 0..<settings.numEnvs {
            shapes.append(ShapeSpec(geometry: .box(halfExtents: Self.railHalfExtents), body: 3 * env))
            shapes.append(ShapeSpec(geometry: .box(halfExtents: Self.cartHalfExtents), body: 3 * env + 1))
            shapes.append(ShapeSpec(geometry: .box(halfExtents: Self.poleHalfExtents), body: 3 * env + 2))
        }
        return RolloutHeader(stepDT: settings.stepDT, firstStep: 0, steps: settings.steps,
                             numBodies: Self.bodiesPerEnv * settings.numEnvs, numEnvs: settings.numEnvs,
                             envSpacing: settings.envSpacing,
                             viewer: .init(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)), shapes: shapes,
                             assets: [RolloutAsset(name: Self.assetName, bodyNames: Self.bodyNames,
                                                   rows: .strided(env0: [0, 1, 2], stride: Self.bodiesPerEnv))],
                             envOrigins: (0..<settings.numEnvs).map {
                                 EnvGrid.origin($0, numEnvs: settings.numEnvs, spacing: settings.envSpacing)
                             })
    }

    /// Runs the simulation and hands each env step's body_q rows (state after that step) to `emit`.
    public func simulate(_ emit: ([Float]) throws -> Void) rethrows {
        var random = SplitMix64(seed: settings.seed)
        let origins = EnvGrid.origins(numEnvs: settings.numEnvs, spacing: settings.envSpacing)
        var states = (0..<settings.numEnvs).map { _ in resetState(&random) }
        var episodeStep = [Int](repeating: 0, count: settings.numEnvs)
        var rows = [Float](repeating: 0, count: settings.numEnvs * Self.bodiesPerEnv * RolloutFormat.floatsPerPose)
        for _ in 0..<settings.steps {
            for env in 0..<settings.numEnvs {
                let action = Double.random(in: -1...1, using: &random)
                for _ in 0..<settings.decimation {
                    states[env] = dynamics.step(states[env], action: action, dt: settings.simDT)
                }
                episodeStep[env] += 1
                let s = states[env]
                if episodeStep[env] >= settings.episodeSteps || abs(s.cartPosition) > Self.cartLimit
                    || abs(s.poleAngle) > .pi / 2 {
                    states[env] = resetState(&random)
                    episodeStep[env] = 0
                }
                write(states[env], origin: origins[env], env: env, into: &rows)
            }
            try emit(rows)
        }
    }

    /// All rows in memory, for small rollouts and tests.
    public func rollout() throws -> InMemoryRollout {
        var all: [Float] = []
        simulate { all.append(contentsOf: $0) }
        return try InMemoryRollout(header: header, bodyQ: all)
    }

    /// Streams the rollout to a file, step by step.
    public func write(to path: String) throws {
        let writer = try RolloutStreamWriter(path: path, header: header)
        do {
            try simulate { try writer.append($0) }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Isaac Lab's reset: cart at the rail centre, pole angle uniform in ±0.25π, at rest.
    private func resetState(_ random: inout SplitMix64) -> CartPoleDynamics.State {
        .init(poleAngle: Double.random(in: -0.25 * .pi...0.25 * .pi, using: &random))
    }

    private func write(_ s: CartPoleDynamics.State, origin: (x: Double, y: Double), env: Int, into rows: inout [Float]) {
        let base = env * Self.bodiesPerEnv * RolloutFormat.floatsPerPose
        let z = Self.cartHeight
        let cartY = origin.y + s.cartPosition
        // The pole turns about the X axis; a positive angle tips its top toward +Y.
        let half = -s.poleAngle / 2
        let poseValues: [[Double]] = [
            [origin.x, origin.y, z, 0, 0, 0, 1],
            [origin.x, cartY, z, 0, 0, 0, 1],
            [origin.x, cartY + sin(s.poleAngle) * Self.poleCentreOffset, z + cos(s.poleAngle) * Self.poleCentreOffset,
             sin(half), 0, 0, cos(half)],
        ]
        for (body, pose) in poseValues.enumerated() {
            for (k, value) in pose.enumerated() {
                rows[base + body * RolloutFormat.floatsPerPose + k] = Float(value)
            }
        }
    }
}
