import FarmCore
import FarmRender
import Foundation
import Testing
@testable import FarmPipeline

/// Cameras with an origin, rendered for real: a camera anchored to a moving body keeps it centred in
/// every frame, an env origin shifts the view, and a rotating body never turns the view.
@Suite(.serialized)
struct CameraOriginPipelineTests {
    static let width = 320
    static let height = 180
    static let red = Vec3(1, 0, 0)
    static let green = Vec3(0, 1, 0)
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("origin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A grey ground, `shapes` on bodies, one asset `"thing"` of body 0, and `poses[step][body]` as rows.
    private func rollout(_ shapes: [ShapeSpec], poses: [[Pose]], numEnvs: Int = 1,
                         envOrigins: [Vec3]? = nil) throws -> InMemoryRollout {
        let numBodies = poses[0].count
        let header = RolloutHeader(
            stepDT: 1.0 / 30, steps: poses.count, numBodies: numBodies, numEnvs: numEnvs, envSpacing: 0,
            shapes: [ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1, color: Vec3(0.5, 0.5, 0.5))] + shapes,
            assets: [RolloutAsset(name: "thing", bodyNames: ["root"], rows: .perEnv([[0]]))],
            envOrigins: envOrigins)
        return try InMemoryRollout(header: header, bodyQ: poses.flatMap { $0.flatMap { $0.components.map { Float($0) } } })
    }

    private func frames(_ rollout: InMemoryRollout, camera: CameraView, anchor: CameraAnchor,
                        backend: VideoBackend = .newtonGL, name: String) throws -> [RGBFrame] {
        let request = ClipRenderRequest(backend: backend, camera: camera, anchor: anchor, width: Self.width,
                                        height: Self.height, frameRate: try FrameRate(stepDT: rollout.header.stepDT),
                                        steps: Array(rollout.header.stepRange))
        var frames: [RGBFrame] = []
        _ = try ClipPipeline(device: try RenderDevice()).produce(
            request, rollout: rollout, outputPath: directory.appendingPathComponent("\(name).mp4").path,
            frameSink: { frames.append($1) })
        return frames
    }

    /// Mean pixel position (pixel centres) of the pixels clearly of `colour`'s one saturated channel,
    /// and how many there are.
    static func centroid(of colour: Vec3, in frame: RGBFrame) -> (x: Double, y: Double, count: Int) {
        let channel = colour.x > 0 ? 0 : colour.y > 0 ? 1 : 2
        var (sx, sy, n) = (0.0, 0.0, 0)
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                let i = (y * frame.width + x) * 3
                let c = frame.pixels[i + channel]
                let others = (0..<3).filter { $0 != channel }.map { Int(frame.pixels[i + $0]) }
                if c > 60, others.allSatisfy({ Int(c) > 2 * $0 + 20 }) {
                    (sx, sy, n) = (sx + Double(x) + 0.5, sy + Double(y) + 0.5, n + 1)
                }
            }
        }
        return n == 0 ? (.nan, .nan, 0) : (sx / Double(n), sy / Double(n), n)
    }

    /// A red ball rolling 6.7 m across the ground in 30 frames.
    private func rollingBall() throws -> InMemoryRollout {
        let poses = (0..<30).map { t in [Pose(position: Vec3(Double(t) * 0.1, Double(t) * 0.2, 0.3))] }
        return try rollout([ShapeSpec(geometry: .sphere(radius: 0.3), body: 0, color: Self.red)], poses: poses)
    }

    @Test(arguments: VideoBackend.allCases)
    func aCameraAnchoredToAMovingBodyKeepsItCentredInEveryFrame(backend: VideoBackend) throws {
        let ball = try rollingBall()
        let anchor = try CameraOrigin(type: .assetRoot, assetName: "thing").resolve(in: ball.header)
        #expect(anchor == .body(0))
        let offset = CameraView(eye: Vec3(-4, -1, 2.5), lookat: Vec3(0, 0, 0))
        let followed = try frames(ball, camera: offset, anchor: anchor, backend: backend, name: "follow-\(backend)")
        #expect(followed.count == 30)
        // Isaac Lab 3's Kit visualizer re-places its camera every frame for an asset origin too.
        try Self.expectCentred(followed)
        // The same offsets as world coordinates: the ball starts near the centre and leaves it.
        let fixed = try frames(ball, camera: offset, anchor: .world, backend: backend, name: "world-\(backend)")
        let first = Self.centroid(of: Self.red, in: fixed[0]), last = Self.centroid(of: Self.red, in: fixed[29])
        #expect(abs(first.x - Double(Self.width) / 2) < 10)
        #expect(last.count == 0 || abs(last.x - Double(Self.width) / 2) > 60, "last frame's ball at (\(last.x), \(last.y))")
    }

    /// The ball's pixels are centred within 3 px in every frame.
    static func expectCentred(_ frames: [RGBFrame]) throws {
        let centroids = frames.map { centroid(of: red, in: $0) }
        try #require(centroids.allSatisfy { $0.count > 50 }, "ball pixels per frame: \(centroids.map(\.count))")
        let offsets = centroids.map { max(abs($0.x - Double(width) / 2), abs($0.y - Double(height) / 2)) }
        #expect(offsets.allSatisfy { $0 < 3 },
                "the ball's centroid is off the centre by (px, per frame) \(offsets.map { ($0 * 10).rounded() / 10 })")
    }

    @Test func anEnvOriginShiftsTheViewByThatEnvsOrigin() throws {
        let origins = [Vec3(0, 0, 0), Vec3(6, 3, 0)]
        let poses = (0..<3).map { _ in origins.map { Pose(position: $0 + Vec3(0, 0, 0.3)) } }
        let scene = try rollout([ShapeSpec(geometry: .sphere(radius: 0.3), body: 0, color: Self.red),
                                 ShapeSpec(geometry: .box(halfExtents: Vec3(0.3, 0.3, 0.3)), body: 1, color: Self.green)],
                                poses: poses, numEnvs: 2, envOrigins: origins)
        let anchor = try CameraOrigin(type: .env, envIndex: 1).resolve(in: scene.header)
        #expect(anchor == .point(Vec3(6, 3, 0)))
        let offset = CameraView(eye: Vec3(-4, -1, 2.5), lookat: Vec3(0, 0, 0))
        let env1 = try frames(scene, camera: offset, anchor: anchor, name: "env1")
        let moved = try frames(scene, camera: CameraView(eye: offset.eye + origins[1], lookat: offset.lookat + origins[1]),
                               anchor: .world, name: "moved")
        let env0 = try frames(scene, camera: offset, anchor: .world, name: "env0")
        let sameAsMoved = env1.map(\.pixels) == moved.map(\.pixels)
        let sameAsEnv0 = env1.map(\.pixels) == env0.map(\.pixels)
        #expect(sameAsMoved && !sameAsEnv0)
        // Env 1's green box sits where env 0's red ball sat.
        let box = Self.centroid(of: Self.green, in: env1[0]), ball = Self.centroid(of: Self.red, in: env0[0])
        #expect(abs(box.x - ball.x) < 2 && abs(box.y - ball.y) < 3, "box (\(box.x), \(box.y)), ball (\(ball.x), \(ball.y))")
    }

    @Test func aRotatingBodyNeverTurnsTheView() throws {
        // A long red bar turns a quarter turn about Z in place; a green marker stands still beside it.
        let poses = (0..<10).map { t -> [Pose] in
            let half = Double(t) / 9 * .pi / 4
            return [Pose(position: Vec3(0, 0, 0.5), qz: sin(half), qw: cos(half)),
                    Pose(position: Vec3(1.5, -2.5, 0.2))]
        }
        let scene = try rollout([ShapeSpec(geometry: .box(halfExtents: Vec3(0.8, 0.1, 0.1)), body: 0, color: Self.red),
                                 ShapeSpec(geometry: .box(halfExtents: Vec3(0.2, 0.2, 0.2)), body: 1, color: Self.green)],
                                poses: poses)
        let anchor = try CameraOrigin(type: .assetRoot, assetName: "thing").resolve(in: scene.header)
        let spun = try frames(scene, camera: CameraView(eye: Vec3(-4, -2, 3), lookat: Vec3(0, 0, 0)), anchor: anchor,
                              name: "spin")
        let marker = spun.map { Self.centroid(of: Self.green, in: $0) }
        #expect(marker.allSatisfy { $0.count > 20 })
        for (k, m) in marker.enumerated() {
            #expect(abs(m.x - marker[0].x) < 0.5 && abs(m.y - marker[0].y) < 0.5, "frame \(k): marker moved to (\(m.x), \(m.y))")
        }
        let barTurned = spun[0].pixels != spun[9].pixels
        #expect(barTurned)
    }
}
