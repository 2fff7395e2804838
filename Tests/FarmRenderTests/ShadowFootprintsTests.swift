import FarmCore
import Testing
@testable import FarmRender

struct ShadowFootprintsTests {
    let look = VideoBackend.newtonGL.captureBackend.look

    func footprints(casters: [ShapeSpec], lookat: SIMD3<Float> = .zero) -> [SIMD4<Float>] {
        let batches = SceneBatch.batches(shapes: [TestScene.ground] + casters, look: look)
        let receivers = ShadowFootprints(groundBatches: batches.filter(\.isCachedGround), sunDirection: look.sunDirection,
                                         shadow: look.shadow)!
        let light = LightView(sunDirection: look.sunDirection, center: lookat, halfExtent: look.shadow.halfExtent)
        var data: [Float] = []
        receivers.patches(casters: batches.filter(\.castsShadow), meshes: [], light: light.viewProjection, into: &data)
        // (min x, min y, max x, max y) of each patch.
        return stride(from: 0, to: data.count, by: SceneBatch.floatsPerInstance).map { o in
            SIMD4(data[o] - data[o + 7] / 2, data[o + 1] - data[o + 8] / 2, data[o] + data[o + 7] / 2, data[o + 1] + data[o + 8] / 2)
        }
    }

    @Test func aFootprintCoversTheShadowOfEveryCorner() {
        let rect = footprints(casters: [ShapeSpec(geometry: .box(halfExtents: Vec3(0.1, 0.2, 0.3)), body: -1,
                                                  transform: .rotation(axis: Vec3(0, 0, 1), angle: 0.5, position: Vec3(1, 2, 2)))])
        #expect(rect.count == 1)
        let sun = look.sunDirection
        let rotation = Pose.rotation(axis: Vec3(0, 0, 1), angle: 0.5)
        let q = SIMD4(Float(rotation.qx), Float(rotation.qy), Float(rotation.qz), Float(rotation.qw))
        for c in 0..<8 {
            let local = SIMD3<Float>(c & 1 == 0 ? -0.1 : 0.1, c & 2 == 0 ? -0.2 : 0.2, c & 4 == 0 ? -0.3 : 0.3)
            let p = SIMD3<Float>(1, 2, 2) + Quaternion.rotate(q, local)
            let shadow = SIMD2(p.x - sun.x * p.z / sun.z, p.y - sun.y * p.z / sun.z)
            #expect(shadow.x > rect[0].x && shadow.x < rect[0].z && shadow.y > rect[0].y && shadow.y < rect[0].w)
        }
    }

    @Test func footprintsOutsideTheShadowMapAreLeftOut() {
        let near = ShapeSpec(geometry: .box(halfExtents: Vec3(0.1, 0.1, 0.1)), body: -1, transform: Pose(position: Vec3(1, 1, 1)))
        let far = ShapeSpec(geometry: .box(halfExtents: Vec3(0.1, 0.1, 0.1)), body: -1, transform: Pose(position: Vec3(60, 0, 1)))
        #expect(footprints(casters: [near, far]).count == 1)
    }

    @Test func onlyHorizontalGroundAtOneHeightQualifies() {
        let tilted = ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1,
                               transform: .rotation(axis: Vec3(1, 0, 0), angle: 0.3))
        let raised = ShapeSpec(geometry: .plane(width: 2, length: 2), body: -1, transform: Pose(position: Vec3(0, 0, 1)))
        for grounds in [[tilted], [TestScene.ground, raised]] {
            let batches = SceneBatch.batches(shapes: grounds, look: look)
            #expect(ShadowFootprints(groundBatches: batches, sunDirection: look.sunDirection, shadow: look.shadow) == nil)
        }
    }
}

struct FrustumCullerTests {
    @Test func keepsWhatTheCameraCanSeeAndDropsTheRest() {
        let camera = FrameCamera(view: CameraView(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)),
                                 lens: VideoBackend.newtonGL.captureBackend.lens, width: 1280, height: 720)
        let culler = FrustumCuller(camera.viewProjection)
        #expect(culler.intersects(center: SIMD3(0, 0, 0), radius: 0.1))
        #expect(!culler.intersects(center: SIMD3(20, 0, 0), radius: 1), "behind the camera")
        #expect(!culler.intersects(center: SIMD3(0, 40, 0), radius: 1), "far to the side")
        // Centre outside, sphere reaching in: kept.
        #expect(culler.intersects(center: SIMD3(9, 0, 5), radius: 3))
    }
}
