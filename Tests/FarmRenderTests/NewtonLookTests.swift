import FarmCore
import Foundation
import Testing
@testable import FarmRender

/// newton_gl against Newton 1.8.0's own ViewerGL. The reference values were measured with
/// `tools/look` (Newton's ViewerGL headless on Mesa llvmpipe, the same scene and camera at 320×180);
/// `tools/look-check` compares whole frames on robot scenes.
@Suite(.serialized)
struct NewtonLookTests {
    /// gymnasium's MuJoCo floor colour, sRGB.
    static let mujocoFloor = Vec3(0.8, 0.9, 0.8)

    /// Newton's spotlight leaves the far floor with ambient light only: under Isaac Lab's default
    /// camera the top rows (the floor toward the horizon) are darker than the floor near the camera.
    /// Newton 1.8.0: top 10 rows (200.5, 212.7, 203.3), bottom 10 rows (232.2, 238.0, 232.7); the
    /// farm without the spotlight lit the far floor as brightly as the near floor.
    @Test func farFloorDarkensTowardTheHorizonAsNewtons() throws {
        let device = try RenderDevice()
        let ground = ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1, color: Self.mujocoFloor)
        let frame = try TestScene([ground])
            .render(.newtonGL, camera: CameraView(eye: Vec3(7.5, 7.5, 7.5), lookat: Vec3(0, 0, 0)), device: device)
        let top = frame.meanColor(rows: 0..<10), bottom = frame.meanColor(rows: 170..<180)
        let newtonTop = SIMD3(200.5, 212.7, 203.3), newtonBottom = SIMD3(232.2, 238.0, 232.7)
        #expect(Self.largestDifference(top, newtonTop) <= 4, "far floor \(top), Newton \(newtonTop)")
        #expect(Self.largestDifference(bottom, newtonBottom) <= 4, "near floor \(bottom), Newton \(newtonBottom)")
    }

    /// A box's shadow edge seen from 1.3 m: the edge must be a straight line, not the shadow map's
    /// texel stair steps. For each column the sub-pixel row where the ground crosses mid-way from
    /// shadow to light is found; its residual from a fitted line stays within Newton's own (0.32 px
    /// RMS for its dithered 16-tap filter; the kit look's one bilinear tap of a 1024² map, the
    /// filter newton_gl had before, measured 1.0 px on the same kind of edge).
    @Test func shadowEdgesAreStraightNotStairStepped() throws {
        let device = try RenderDevice()
        let half = 15.0 * .pi / 180
        let box = ShapeSpec(geometry: .box(halfExtents: Vec3(0.3, 0.3, 0.3)), body: -1,
                            transform: Pose(position: Vec3(0, 0, 0.3), qz: sin(half), qw: cos(half)), color: red)
        let sun = VideoBackend.newtonGL.captureBackend.look.sunDirection
        let (sx, sy, sz) = (Double(sun.x), Double(sun.y), Double(sun.z))
        // The shadow of the box's top centre; the camera stands beyond it, away from the box.
        let shadow = Vec3(-sx * 0.6 / sz, -sy * 0.6 / sz, 0)
        let away = Vec3(-sx, -sy, 0) * (0.9 / (sx * sx + sy * sy).squareRoot())
        let camera = CameraView(eye: shadow + away + Vec3(0, 0, 1), lookat: shadow)
        let frame = try TestScene([TestScene.ground, box]).render(.newtonGL, camera: camera, device: device)

        var columns: [Double] = [], crossings: [Double] = []
        for x in 100..<210 {
            let profile = (120..<170).map { frame.luminance(x, $0) }
            let (low, high) = (profile.min()!, profile.max()!)
            #expect(high - low > 40, "column \(x) crosses the shadow edge")
            let mid = (low + high) / 2
            guard let i = profile.firstIndex(where: { $0 > mid }), i > 0 else { continue }
            columns.append(Double(x))
            crossings.append(120 + Double(i - 1) + (mid - profile[i - 1]) / (profile[i] - profile[i - 1]))
        }
        #expect(columns.count == 110)
        let residuals = Self.lineFitResiduals(x: columns, y: crossings)
        let rms = (residuals.map { $0 * $0 }.reduce(0, +) / Double(residuals.count)).squareRoot()
        #expect(rms < 0.45, "edge residual \(rms) px RMS")
        #expect(residuals.map(abs).max()! < 1.0, "edge residual up to \(residuals.map(abs).max()!) px")
    }

    @Test func kitKeepsItsLook() {
        let kit = VideoBackend.kit.captureBackend.look
        #expect(kit.spotlight == nil)
        #expect(kit.shadow == ShadowSettings(mapSize: 1024, halfExtent: 10, normalBiasTexels: 1.5))
    }

    /// Newton centres its shadow frustum on the camera, its up the image's up (`_render_shadow_map`):
    /// the camera lands in the middle of the map whatever it looks at.
    @Test func newtonsShadowMapIsCentredOnTheCamera() {
        let newton = VideoBackend.newtonGL.captureBackend.look
        #expect(newton.shadow.centre == .camera && newton.shadow.mapSize == 4096)
        let view = CameraView(eye: Vec3(7.5, 7.5, 7.5), lookat: Vec3(0, 0, 0))
        let camera = FrameCamera(view: view, lens: VideoBackend.newtonGL.captureBackend.lens, width: 320, height: 180)
        let light = LightView(sunDirection: newton.sunDirection, center: camera.eye, halfExtent: 10, up: camera.up)
        let centre = light.viewProjection * SIMD4(camera.eye, 1)
        let above = light.viewProjection * SIMD4(camera.eye + camera.up * 0.1, 1)
        #expect(abs(centre.x) < 1e-4 && abs(centre.y) < 1e-4)
        #expect(abs(above.x) < 1e-4 && above.y > 0)
    }

    /// Only the casters' square of the shadow map is cleared each frame (`ShadowRegion`): a caster
    /// that moves away must take its shadow with it, and one that comes back must bring it back.
    @Test(arguments: VideoBackend.allCases)
    func aMovingCasterLeavesNoStaleShadow(_ backend: VideoBackend) throws {
        let device = try RenderDevice()
        let scene = TestScene([TestScene.ground,
                               ShapeSpec(geometry: .box(halfExtents: Vec3(0.4, 0.4, 0.4)), body: 0, color: red)],
                              numBodies: 1)
        let sun = backend.captureBackend.look.sunDirection
        let t = 1.5 / Double(sun.z)
        let shadow = Vec3(-Double(sun.x) * t, -Double(sun.y) * t, 0)
        // Over the shadow, then 4 m away (still inside the map), then back.
        let poses = BodyPoseRows(steps: 0..<3, numBodies: 1, values: [0, 0, 1.5, 0, 0, 0, 1,
                                                                      4, 0, 1.5, 0, 0, 0, 1,
                                                                      0, 0, 1.5, 0, 0, 0, 1])
        let camera = CameraView(eye: shadow + Vec3(3, -3, 3), lookat: shadow)
        let frames = try scene.render(backend, cameras: [camera, camera, camera], device: device, poses: poses)
        let lens = backend.captureBackend.lens
        let p = RGBFrame.project(shadow, camera: camera, lens: lens, width: 320, height: 180)
        let (x, y) = (Int(p.x), Int(p.y))
        let open = try TestScene([TestScene.ground]).render(backend, camera: camera, device: device).meanLuminance(x, y)
        #expect(frames[0].meanLuminance(x, y) < open * 0.8, "shadowed at first")
        #expect(abs(frames[1].meanLuminance(x, y) - open) < 1, "no stale shadow once the box has moved")
        #expect(frames[2].meanLuminance(x, y) < open * 0.8, "shadowed again when it is back")
    }

    private static func largestDifference(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        pointwiseMax(a - b, b - a).max()
    }

    private static func lineFitResiduals(x: [Double], y: [Double]) -> [Double] {
        let n = Double(x.count)
        let mx: Double = x.reduce(0, +) / n
        let my: Double = y.reduce(0, +) / n
        var covariance = 0.0, variance = 0.0
        for (a, b) in zip(x, y) {
            covariance += (a - mx) * (b - my)
            variance += (a - mx) * (a - mx)
        }
        let slope = covariance / variance
        return zip(x, y).map { (a: Double, b: Double) -> Double in b - (my + slope * (a - mx)) }
    }
}

extension RGBFrame {
    /// Mean colour of whole rows.
    func meanColor(rows: Range<Int>) -> SIMD3<Double> {
        var sum = SIMD3<Double>.zero
        for y in rows {
            for x in 0..<width {
                let c = color(x, y)
                sum += SIMD3<Double>(Double(c.x), Double(c.y), Double(c.z))
            }
        }
        return sum / Double(rows.count * width)
    }
}
