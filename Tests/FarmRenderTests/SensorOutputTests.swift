import FarmCore
import Testing
@testable import FarmRender

/// The sensor outputs on real frames from the default EGL device (llvmpipe on CPU-only machines),
/// against the colours Isaac Lab 3.0.0's `CameraFrameColorizer` gives the raw values.
@Suite(.serialized)
struct SensorOutputTests {
    /// Looking along -X at height 1: a box whose +X face is 5.5 m from the camera, centred in the image.
    static let sideCamera = CameraView(eye: Vec3(6, 0, 1), lookat: Vec3(0, 0, 1))
    static let nearBox = ShapeSpec(geometry: .box(halfExtents: Vec3(0.5, 0.6, 0.4)), body: -1,
                                   transform: Pose(position: Vec3(0, 0, 1)))
    /// A box whose +X face is 8.5 m from the camera, to the image's side.
    static let farBox = ShapeSpec(geometry: .box(halfExtents: Vec3(0.5, 0.5, 0.5)), body: -1,
                                  transform: Pose(position: Vec3(-3, 2.5, 1)))

    static func pixel(of point: Vec3, camera: CameraView, backend: VideoBackend = .newtonGL) -> (x: Int, y: Int) {
        let p = RGBFrame.project(point, camera: camera, lens: backend.captureBackend.lens, width: 320, height: 180)
        return (Int(p.x), Int(p.y))
    }

    static func expectClose(_ actual: SIMD3<Int>, _ expected: SIMD3<UInt8>, within tolerance: Int,
                            _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let difference = actual &- SIMD3<Int>(truncatingIfNeeded: expected)
        let worst = max(abs(difference.x), abs(difference.y), abs(difference.z))
        #expect(worst <= tolerance, "\(what): \(actual), expected \(expected)", sourceLocation: sourceLocation)
    }

    @Test(arguments: VideoBackend.allCases)
    func depthIsTurboOfTheDistanceToTheImagePlane(_ backend: VideoBackend) throws {
        let device = try RenderDevice()
        let scene = TestScene([TestScene.ground, Self.nearBox, Self.farBox])
        let frame = try scene.render(backend, camera: Self.sideCamera, device: device,
                                     output: .depth(range: ClipOutput.defaultDepthRange))
        // Isaac Lab's colours (`colorize(depth, "depth")`, matplotlib 3.10.3) of 5.5 m and 8.5 m in
        // [0.1, 10], at the image centre and across the face: distance to the image plane, not to the eye.
        let near = SIMD3<UInt8>(192, 242, 51), farColour = SIMD3<UInt8>(221, 60, 7)
        Self.expectClose(frame.color(160, 90), near, within: 2, "near face at the centre")
        Self.expectClose(frame.color(185, 100), near, within: 2, "near face off-centre")
        let far = Self.pixel(of: Vec3(-2.5, 2.5, 1), camera: Self.sideCamera, backend: backend)
        Self.expectClose(frame.color(far.x, far.y), farColour, within: 2, "far face")
        #expect(frame.color(far.x, far.y) != frame.color(160, 90))
        // No surface: infinitely far, turbo(1).
        Self.expectClose(frame.color(160, 3), SIMD3(122, 4, 2), within: 0, "sky")
    }

    @Test func depthOutsideTheRangeClamps() throws {
        let device = try RenderDevice()
        let scene = TestScene([Self.nearBox])
        let beyond = try scene.render(.newtonGL, camera: Self.sideCamera, device: device, output: .depth(range: 1...3))
        Self.expectClose(beyond.color(160, 90), SIMD3(122, 4, 2), within: 0, "5.5 m beyond 3 m")
        let before = try scene.render(.newtonGL, camera: Self.sideCamera, device: device, output: .depth(range: 6...10))
        Self.expectClose(before.color(160, 90), SIMD3(48, 18, 59), within: 0, "5.5 m before 6 m")
    }

    @Test(arguments: VideoBackend.allCases)
    func normalsAreWorldFrameUnitVectorsAsBytes(_ backend: VideoBackend) throws {
        let device = try RenderDevice()
        let scene = TestScene([TestScene.ground, Self.nearBox])
        let above = try scene.render(backend, camera: CameraView(eye: Vec3(0, 0, 6), lookat: Vec3(0, 0, 1)), device: device,
                                     output: .normals)
        Self.expectClose(above.color(160, 90), SIMD3(127, 127, 255), within: 1, "top face")
        let side = try scene.render(backend, camera: Self.sideCamera, device: device, output: .normals)
        Self.expectClose(side.color(160, 90), SIMD3(255, 127, 127), within: 1, "+X face")
        Self.expectClose(side.color(160, 175), SIMD3(127, 127, 255), within: 1, "ground")
        Self.expectClose(side.color(160, 3), SIMD3(127, 127, 127), within: 0, "no surface")
    }

    /// Two bodies (a box and a sphere) and the ground, with the bodies moved between the frames.
    static let bodies = TestScene([TestScene.ground,
                                   ShapeSpec(geometry: .box(halfExtents: Vec3(0.4, 0.4, 0.4)), body: 0),
                                   ShapeSpec(geometry: .sphere(radius: 0.4), body: 1)], numBodies: 2)
    static let movedPoses = BodyPoseRows(steps: 0..<2, numBodies: 2, values: [
        0, -1, 1, 0, 0, 0, 1, /**/ 0, 1, 1, 0, 0, 0, 1,
        -1, -1.5, 1.2, 0, 0, 0.3826834, 0.9238795, /**/ 1, 0.5, 0.8, 0, 0, 0, 1,
    ])

    @Test func segmentationGivesEachBodyAndTheGroundItsOwnStableColour() throws {
        let device = try RenderDevice()
        let camera = CameraView(eye: Vec3(7, 0, 2.5), lookat: Vec3(0, 0, 1))
        let frames = try Self.bodies.render(.newtonGL, cameras: [camera, camera], device: device, poses: Self.movedPoses,
                                            output: .segmentation)
        // Ids: body b is b + 1, the one static shape (the ground) numBodies + 1.
        let box = SIMD3<UInt8>(57, 107, 229), sphere = SIMD3<UInt8>(157, 229, 57), ground = SIMD3<UInt8>(229, 57, 208)
        let background = SIMD3<UInt8>(40, 40, 40)
        for (k, centres) in [(0, [Vec3(0, -1, 1), Vec3(0, 1, 1)]), (1, [Vec3(-1, -1.5, 1.2), Vec3(1, 0.5, 0.8)])] {
            let b = Self.pixel(of: centres[0], camera: camera), s = Self.pixel(of: centres[1], camera: camera)
            Self.expectClose(frames[k].color(b.x, b.y), box, within: 0, "frame \(k) box")
            Self.expectClose(frames[k].color(s.x, s.y), sphere, within: 0, "frame \(k) sphere")
            Self.expectClose(frames[k].color(160, 175), ground, within: 0, "frame \(k) ground")
            Self.expectClose(frames[k].color(160, 2), background, within: 0, "frame \(k) background")
            // One sample per pixel: every pixel is exactly one id's colour, edges included.
            let colours = Set(stride(from: 0, to: frames[k].pixels.count, by: 3).map {
                SIMD3(frames[k].pixels[$0], frames[k].pixels[$0 + 1], frames[k].pixels[$0 + 2])
            })
            #expect(colours == [box, sphere, ground, background], "frame \(k) holds \(colours.count) colours")
        }
        #expect(frames[0] != frames[1])
        let again = try Self.bodies.render(.newtonGL, cameras: [camera, camera], device: device, poses: Self.movedPoses,
                                           output: .segmentation)
        #expect(again == frames, "a second renderer gives the same frames")
    }

    @Test(arguments: [ClipOutput.depth(range: ClipOutput.defaultDepthRange), .normals, .segmentation])
    func yuvFramesCarryTheSensorImage(_ output: ClipOutput) throws {
        let device = try RenderDevice()
        let camera = CameraView(eye: Vec3(7, 0, 2.5), lookat: Vec3(0, 0, 1))
        let renderer = try ClipRenderer(device: device, backend: .kit, header: Self.bodies.header(steps: 2), meshes: [],
                                        width: 320, height: 180, output: output)
        #expect(renderer.samples == 1)
        var rgb: [RGBFrame] = []
        try renderer.renderFrames(Self.movedPoses, cameras: [camera, camera]) { rgb.append($1) }
        var yuv: [YUV420Frame] = []
        try renderer.renderFramesYUV(Self.movedPoses, cameras: [camera, camera]) { yuv.append($1) }
        #expect(rgb.count == 2 && yuv.count == 2)
        // BT.709 limited-range luma of the RGB frame's pixels, as the Y plane holds it.
        for (frame, planes) in zip(rgb, yuv) {
            for (x, y) in [(160, 2), (160, 90), (160, 175), (60, 120)] {
                let c = SIMD3<Double>(frame.color(x, y))
                let luma = 16 + (0.2126 * c.x + 0.7152 * c.y + 0.0722 * c.z) * 219 / 255
                #expect(abs(Double(planes.bytes[y * 320 + x]) - luma) <= 2, "\(output) Y at (\(x), \(y))")
            }
        }
    }
}
