import FarmCore
import Foundation
import Testing
@testable import FarmRender

/// A rollout viewer's `vertical_fov` and `background_color` (Isaac Lab's Newton GL visualizer's lens
/// and flat background) change how the clip is filmed, and nothing else.
@Suite(.serialized)
struct ViewerOverridesTests {
    static let camera = CameraView(eye: Vec3(4, 0, 1.5), lookat: Vec3(0, 0, 0.5))
    static let box = ShapeSpec(geometry: .box(halfExtents: Vec3(0.5, 0.5, 0.5)), body: -1,
                               transform: Pose(position: Vec3(0, 0, 0.5)), color: Vec3(1, 0, 0))

    @Test func aVerticalFOVIsFittedToTheFrame() {
        let lens = VideoBackend.newtonGL.captureBackend.lens.with(verticalFOVDegrees: 64.98, aspect: 16.0 / 9)
        #expect(abs(lens.verticalFOV(aspect: 16.0 / 9) * 180 / .pi - 64.98) < 1e-9)
        let viewer = RolloutHeader.Viewer(eye: Vec3(1, 0, 0), lookat: Vec3(0, 0, 0))
        #expect(VideoBackend.newtonGL.captureBackend.lens.overridden(by: viewer, aspect: 2) == VideoBackend.newtonGL.captureBackend.lens)
    }

    /// A wider lens shows the same box smaller: its width in pixels scales with 1/tan(fov/2).
    @Test func aWiderLensShowsTheBoxSmaller() throws {
        let device = try RenderDevice()
        func redColumns(_ fov: Double?) throws -> Int {
            var scene = TestScene([TestScene.ground, Self.box])
            scene.viewer = .init(eye: Self.camera.eye, lookat: Self.camera.lookat, verticalFOV: fov)
            let frame = try scene.render(.newtonGL, camera: Self.camera, device: device)
            return (0..<320).filter { x in let c = frame.color(x, 90); return c.x > 2 * c.y + 30 && c.x > 2 * c.z + 30 }.count
        }
        let farmLens = try redColumns(nil), wide = try redColumns(64.98)
        let farmVertical = VideoBackend.newtonGL.captureBackend.lens.verticalFOV(aspect: 320.0 / 180)
        let expected = Double(farmLens) * tan(farmVertical / 2) / tan(64.98 * .pi / 360)
        #expect(abs(Double(wide) - expected) <= 3, "box \(wide) px wide at 65°, \(farmLens) px at the farm's lens; expected \(expected)")
    }

    /// Newton's ViewerGL with a background colour clears to it as an output colour: the sky above
    /// the horizon is that colour exactly, with no gradient and no sun glow.
    @Test func aBackgroundColourReplacesTheSky() throws {
        let device = try RenderDevice()
        let background = Vec3(0.30, 0.55, 0.82)
        var scene = TestScene([TestScene.ground])
        scene.viewer = .init(eye: Vec3(0, -6, 1), lookat: Vec3(0, 0, 2), background: background)
        let frame = try scene.render(.newtonGL, camera: CameraView(eye: Vec3(0, -6, 1), lookat: Vec3(0, 0, 2)), device: device)
        let expected = SIMD3(Int((0.30 * 255).rounded()), Int((0.55 * 255).rounded()), Int((0.82 * 255).rounded()))
        for (x, y) in [(5, 3), (160, 3), (315, 20)] {
            let c = frame.color(x, y)
            #expect(abs(c.x - expected.x) <= 1 && abs(c.y - expected.y) <= 1 && abs(c.z - expected.z) <= 1,
                    "sky at (\(x), \(y)) is \(c), background \(expected)")
        }
    }
}
