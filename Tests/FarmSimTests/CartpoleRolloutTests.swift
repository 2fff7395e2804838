import FarmCore
import Foundation
import Testing
@testable import FarmSim

@Test(arguments: [
    (1, [(0.0, 0.0)]),
    (4, [(2.0, -2.0), (2.0, 2.0), (-2.0, -2.0), (-2.0, 2.0)]),
    (3, [(4.0, 0.0), (0.0, 0.0), (-4.0, 0.0)]),
] as [(Int, [(Double, Double)])])
func envGridMatchesIsaacLab(numEnvs: Int, expected: [(Double, Double)]) {
    let origins = EnvGrid.origins(numEnvs: numEnvs, spacing: 4)
    #expect(origins.map(\.x) == expected.map(\.0))
    #expect(origins.map(\.y) == expected.map(\.1))
}

@Test func thirtyTwoEnvsMakeSevenRowsOfFive() {
    let origins = EnvGrid.origins(numEnvs: 32, spacing: 1)
    #expect(Set(origins.map(\.x)).count == 7 && Set(origins.map(\.y)).count == 5)
}

@Test func largeGridIsCentredAndSquare() {
    let origins = EnvGrid.origins(numEnvs: 4096, spacing: 4)
    #expect(Set(origins.map(\.x)).count == 64 && Set(origins.map(\.y)).count == 64)
    #expect(abs(origins.map(\.x).reduce(0, +)) < 1e-6 && abs(origins.map(\.y).reduce(0, +)) < 1e-6)
    #expect(origins.map(\.x).max() == 126)
}

@Test func unforcedPoleFallsTowardItsTilt() {
    let dynamics = CartPoleDynamics()
    var state = CartPoleDynamics.State(poleAngle: 0.05)
    for _ in 0..<60 { state = dynamics.step(state, action: 0, dt: 1.0 / 120) }
    #expect(state.poleAngle > 0.1)
    // The cart recoils the other way as the pole falls.
    #expect(state.cartPosition < 0)
}

@Test func pushingTheCartTipsThePoleBack() {
    let dynamics = CartPoleDynamics()
    var state = CartPoleDynamics.State()
    for _ in 0..<30 { state = dynamics.step(state, action: 1, dt: 1.0 / 120) }
    #expect(state.cartPosition > 0 && state.poleAngle < 0)
}

@Test func rolloutHasTheAssetGeometryAndPoses() throws {
    let cartpole = try CartpoleRollout(.init(steps: 20, numEnvs: 4, seed: 7))
    let rollout = try cartpole.rollout()
    #expect(rollout.header.numBodies == 12 && rollout.header.shapes.count == 13)
    #expect(rollout.header.fps == 60)
    #expect(rollout.header.viewer?.eye == Vec3(8, 0, 5))
    let rows = try rollout.bodyPoses(steps: 0..<20)
    for step in 0..<20 {
        for env in 0..<4 {
            let rail = rows.pose(step: step, body: 3 * env)
            let cart = rows.pose(step: step, body: 3 * env + 1)
            let pole = rows.pose(step: step, body: 3 * env + 2)
            #expect(abs(cart.position.z - 2.0) < 1e-6 && cart.position.x == rail.position.x)
            #expect(abs((pole.position - cart.position).length - 0.47) < 1e-4)
            let q = [pole.qx, pole.qy, pole.qz, pole.qw]
            #expect(abs(q.map { $0 * $0 }.reduce(0, +) - 1) < 1e-5)
        }
    }
}

@Test func episodesResetWithinTheirLength() throws {
    let cartpole = try CartpoleRollout(.init(steps: 700, numEnvs: 2, seed: 1))
    var cartOffsets: [Double] = []
    cartpole.simulate { rows in cartOffsets.append(Double(rows[7 + 1])) }  // env 0 cart y
    // A reset puts the cart back on the rail centre (origin y of env 0 is -0 for 2 envs → -2).
    #expect(cartOffsets.allSatisfy { abs($0 + 2) <= CartpoleRollout.cartLimit + 0.2 })
}

@Test func sameSeedSameRolloutAndStreamedFileMatchesMemory() throws {
    let settings = CartpoleRollout.Settings(steps: 30, numEnvs: 5, seed: 99)
    let a = try CartpoleRollout(settings).rollout()
    let b = try CartpoleRollout(settings).rollout()
    #expect(a.rows == b.rows)
    let other = try CartpoleRollout(.init(steps: 30, numEnvs: 5, seed: 100)).rollout()
    #expect(a.rows != other.rows)

    let path = FileManager.default.temporaryDirectory.appendingPathComponent("cartpole-\(UUID().uuidString).rlt").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try CartpoleRollout(settings).write(to: path)
    let file = try RolloutFile(path: path)
    #expect(try file.bodyPoses(steps: 0..<30) == a.rows)
    #expect(file.header == a.header)
}

@Test func invalidSettingsAreRefused() {
    #expect(throws: CartpoleRollout.SettingsError.invalid("--steps must be at least 1, got 0")) {
        try CartpoleRollout(.init(steps: 0, numEnvs: 1))
    }
    #expect(throws: CartpoleRollout.SettingsError.self) { try CartpoleRollout(.init(steps: 5, numEnvs: 0)) }
}

@Test func theRobotAndEnvOriginsAreNamedSoACameraCanFollowTheCart() throws {
    let rollout = try CartpoleRollout(.init(steps: 30, numEnvs: 4, seed: 5)).rollout()
    let header = try RolloutHeader.decode(rollout.header.encoded())
    let robot = try #require(header.asset(named: "robot"))
    #expect(robot.bodyNames == ["rail", "cart", "pole"] && robot.envCount(numEnvs: 4) == 4)
    #expect(header.envOrigins == EnvGrid.origins(numEnvs: 4, spacing: 4).map { Vec3($0.x, $0.y, 0) })
    let cart = try CameraOrigin(type: .assetBody, envIndex: 2, assetName: "robot", body: .name("cart")).resolve(in: header)
    #expect(cart == .body(7))
    #expect(try CameraOrigin(type: .assetRoot, envIndex: 3, assetName: "robot").resolve(in: header) == .body(9))
    #expect(try CameraOrigin(type: .env, envIndex: 2).resolve(in: header) == .point(Vec3(-2, -2, 0)))
    // The rail (the root) sits on its env's origin, at the cart's height.
    let rows = try rollout.bodyPoses(steps: 0..<30)
    for env in 0..<4 {
        #expect(rows.pose(step: 29, body: robot.row(env: env, body: 0)).position
                == header.envOrigin(env) + Vec3(0, 0, CartpoleRollout.cartHeight))
    }
}
