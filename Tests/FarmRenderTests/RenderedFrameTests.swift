import FarmCore
import Foundation
import Testing
@testable import FarmRender

/// Pixel checks on real frames from the default EGL device (llvmpipe on CPU-only machines).
/// Serialized: each test owns a GL context on its thread, and llvmpipe already uses every core.
@Suite(.serialized)
struct RenderedFrameTests {
    @Test(arguments: VideoBackend.allCases)
    func objectAtTheLookAtPointLandsAtTheCentre(_ backend: VideoBackend) throws {
        let device = try RenderDevice()
        let target = Vec3(3, -2, 1)
        let scene = TestScene([TestScene.ground,
                               ShapeSpec(geometry: .sphere(radius: 0.15), body: -1,
                                         transform: Pose(position: target), color: red)])
        let frame = try scene.render(backend, camera: CameraView(eye: Vec3(9, 4, 5), lookat: target), device: device)
        #expect(frame.isRed(160, 90), "centre pixel \(frame.color(160, 90))")
        #expect(!frame.isRed(100, 90) && !frame.isRed(220, 90) && !frame.isRed(160, 40) && !frame.isRed(160, 140))
    }

    @Test(arguments: VideoBackend.allCases)
    func upIsUp(_ backend: VideoBackend) throws {
        let device = try RenderDevice()
        let scene = TestScene([TestScene.ground,
                               ShapeSpec(geometry: .box(halfExtents: Vec3(0.3, 0.3, 0.3)), body: -1,
                                         transform: Pose(position: Vec3(0, 0, 2.5)), color: red),
                               ShapeSpec(geometry: .box(halfExtents: Vec3(0.3, 0.3, 0.3)), body: -1,
                                         transform: Pose(position: Vec3(0, 0, 0.5)), color: blue)])
        let frame = try scene.render(backend, camera: CameraView(eye: Vec3(8, 0, 1.5), lookat: Vec3(0, 0, 1.5)), device: device)
        let redRows = (0..<180).filter { frame.isRed(160, $0) }
        let blueRows = (0..<180).filter { frame.isBlue(160, $0) }
        #expect(!redRows.isEmpty && !blueRows.isEmpty)
        #expect((redRows.max() ?? 180) < (blueRows.min() ?? 0), "the higher box must be nearer the top row")
    }

    @Test(arguments: VideoBackend.allCases)
    func skyAboveGroundBelow(_ backend: VideoBackend) throws {
        let device = try RenderDevice()
        let frame = try TestScene([TestScene.ground])
            .render(backend, camera: CameraView(eye: Vec3(0, 0, 2), lookat: Vec3(10, 3, 2)), device: device)
        let sky = frame.color(160, 10), ground = frame.color(160, 170)
        let look = backend.captureBackend.look
        // The sky is drawn with its output colours, untouched by lighting or tone mapping.
        let expectedSky = look.skyLower + (look.skyUpper - look.skyLower) * 0.25
        #expect(abs(Double(sky.z) - Double(expectedSky.z) * 255) < 40, "sky \(sky)")
        #expect(sky != ground)
        switch backend {
        case .newtonGL:
            #expect(sky.z > sky.x + 20, "newton's sky is blue: \(sky)")
            #expect(frame.luminance(160, 170) < 90, "newton's ground is dark: \(ground)")
        case .kit:
            #expect(abs(ground.x - ground.z) < 12, "kit's ground is neutral grey: \(ground)")
            #expect(frame.luminance(160, 10) > frame.luminance(160, 170), "kit's dome is lighter than the ground")
        }
    }

    @Test(arguments: VideoBackend.allCases)
    func shadowDarkensTheGroundUnderAnObject(_ backend: VideoBackend) throws {
        let device = try RenderDevice()
        let sun = backend.captureBackend.look.sunDirection
        let boxCentre = Vec3(0, 0, 1.5)
        // Where the sun's ray through the box centre meets the ground.
        let t = 1.5 / Double(sun.z)
        let shadow = Vec3(-Double(sun.x) * t, -Double(sun.y) * t, 0)
        let camera = CameraView(eye: Vec3(shadow.x + 6, shadow.y - 1, 5), lookat: shadow)
        func groundLuminance(boxAt position: Vec3) throws -> Double {
            let scene = TestScene([TestScene.ground,
                                   ShapeSpec(geometry: .box(halfExtents: Vec3(0.4, 0.4, 0.4)), body: -1,
                                             transform: Pose(position: position), color: red)])
            let frame = try scene.render(backend, camera: camera, device: device)
            return frame.meanLuminance(160, 90)
        }
        let shaded = try groundLuminance(boxAt: boxCentre)
        let open = try groundLuminance(boxAt: Vec3(0, 0, -50))
        #expect(shaded < open * 0.8, "ground under the box \(shaded) vs without it \(open)")
    }

    @Test(arguments: VideoBackend.allCases)
    func fieldOfViewFollowsTheLens(_ backend: VideoBackend) throws {
        let device = try RenderDevice()
        let lens = backend.captureBackend.lens
        let (width, height) = (640, 360)
        let halfWidth = 1.0, distance = 6.0
        let camera = CameraView(eye: Vec3(distance, 0, 3), lookat: Vec3(0, 0, 3))
        let scene = TestScene([ShapeSpec(geometry: .box(halfExtents: Vec3(0.05, halfWidth, 0.5)), body: -1,
                                         transform: Pose(position: Vec3(0, 0, 3)), color: red)])
        let frame = try scene.render(backend, camera: camera, width: width, height: height, device: device)
        // The box face nearest the camera is at distance - 0.05.
        let expectedWidth = Double(width) * halfWidth / ((distance - 0.05) * tan(lens.horizontalFOV / 2))
        let expectedHeight = Double(height) * 0.5 / ((distance - 0.05) * tan(lens.verticalFOV(aspect: 16.0 / 9) / 2))
        let measuredWidth = Double((0..<width).filter { frame.isRed($0, height / 2) }.count)
        let measuredHeight = Double((0..<height).filter { frame.isRed(width / 2, $0) }.count)
        #expect(abs(measuredWidth - expectedWidth) <= 2, "width \(measuredWidth) px, expected \(expectedWidth)")
        #expect(abs(measuredHeight - expectedHeight) <= 2, "height \(measuredHeight) px, expected \(expectedHeight)")
    }

    @Test func lensesAreAsSpecified() {
        let newton = VideoBackend.newtonGL.captureBackend.lens, kit = VideoBackend.kit.captureBackend.lens
        #expect(abs(newton.horizontalFOV * 180 / .pi - 60) < 1e-9)
        #expect(abs(newton.verticalFOV(aspect: 16.0 / 9) * 180 / .pi - 35.98) < 0.01)
        #expect(abs(kit.horizontalFOV - 2 * atan(20.955 / 2 / 18.147)) < 1e-12)
        #expect(kit.horizontalFOV != newton.horizontalFOV)
    }

    /// Which camera a frame gets is the pipeline's decision; the renderer draws each frame from its own.
    @Test func eachFrameIsDrawnFromItsOwnCamera() throws {
        let device = try RenderDevice()
        let scene = TestScene([TestScene.ground,
                               ShapeSpec(geometry: .box(halfExtents: Vec3(0.3, 0.3, 0.3)), body: -1,
                                         transform: Pose(position: Vec3(0, 0, 0.3)), color: red)])
        let track = [CameraView(eye: Vec3(5, 0, 3), lookat: Vec3(0, 0, 0)),
                     CameraView(eye: Vec3(0, 5, 3), lookat: Vec3(0, 0, 0))]
        let kit = try scene.render(.kit, cameras: track, device: device)
        let newton = try scene.render(.newtonGL, cameras: track, device: device)
        #expect(kit[0] != kit[1])
        #expect(newton[0] != newton[1])
    }

    @Test func bodiesMoveTheirShapes() throws {
        let device = try RenderDevice()
        // One body carrying a red box offset 1 m along its local X; the body turns 90° about Z.
        let scene = TestScene([TestScene.ground,
                               ShapeSpec(geometry: .box(halfExtents: Vec3(0.2, 0.2, 0.2)), body: 0,
                                         transform: Pose(position: Vec3(1, 0, 0)), color: red)], numBodies: 1)
        let s = Float(0.5.squareRoot())
        let poses = BodyPoseRows(steps: 10..<12, numBodies: 1, values: [0, 0, 1, 0, 0, 0, 1,
                                                                        0, 0, 1, 0, 0, s, s])
        let camera = CameraView(eye: Vec3(0, 0, 9), lookat: Vec3(0, 0.001, 0))
        let frames = try scene.render(.newtonGL, cameras: [camera, camera], device: device, poses: poses)
        let lens = VideoBackend.newtonGL.captureBackend.lens
        let first = RGBFrame.project(Vec3(1, 0, 1.2), camera: camera, lens: lens, width: 320, height: 180)
        let second = RGBFrame.project(Vec3(0, 1, 1.2), camera: camera, lens: lens, width: 320, height: 180)
        #expect(frames[0].isRed(Int(first.x), Int(first.y)))
        #expect(frames[1].isRed(Int(second.x), Int(second.y)))
        #expect(!frames[1].isRed(Int(first.x), Int(first.y)))
    }

    @Test(arguments: VideoBackend.allCases)
    func cachedGroundMatchesFullShading(_ backend: VideoBackend) throws {
        let device = try RenderDevice()
        let boxes = [ShapeSpec(geometry: .box(halfExtents: Vec3(0.4, 0.4, 0.4)), body: -1,
                               transform: Pose(position: Vec3(0, 0, 1)), color: red),
                     // A cart-sized box 2 m up near the camera: its shadow lands close to the lens.
                     ShapeSpec(geometry: .box(halfExtents: Vec3(0.1, 0.125, 0.1)), body: -1,
                               transform: Pose(position: Vec3(2, 0, 2)), color: blue)]
        // A ground on a body at rest is shaded in full every frame; a static one from the cache,
        // with the shadow lookup only inside the casters' footprints.
        let dynamicGround = TestScene([ShapeSpec(geometry: .plane(width: 0, length: 0), body: 0)] + boxes, numBodies: 1)
        let staticGround = TestScene([TestScene.ground] + boxes)
        let a = CameraView(eye: Vec3(6, 3, 4), lookat: Vec3(0, 0, 0.5))
        let b = CameraView(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0))
        // The cache is rebuilt when the camera moves: A, B, A.
        let track = [a, b, a]
        let full = try dynamicGround.render(backend, cameras: track, width: 640, height: 360, device: device)
        let cached = try staticGround.render(backend, cameras: track, width: 640, height: 360, device: device)
        for (k, (x, y)) in zip(full, cached).enumerated() {
            let differences = zip(x.pixels, y.pixels).map { abs(Int($0) - Int($1)) }
            let mean = Double(differences.reduce(0, +)) / Double(differences.count)
            // Penumbrae blend after tone mapping instead of before: a few levels at most, rarely.
            #expect(differences.max()! <= 8 && mean < 0.2, "frame \(k): up to \(differences.max()!) levels, mean \(mean)")
        }
        #expect(cached[0] == cached[2])
    }

    /// Isaac-Cartpole's viewpoint, a cart-sized box 2 m up near the lens: its shadow must survive
    /// the footprint pass (once lost to a coplanar depth test against the ground).
    @Test(arguments: VideoBackend.allCases)
    func shadowNearTheCameraMatchesFullShading(_ backend: VideoBackend) throws {
        let device = try RenderDevice()
        let box = ShapeSpec(geometry: .box(halfExtents: Vec3(0.1, 0.125, 0.1)), body: -1,
                            transform: Pose(position: Vec3(2, 0, 2)), color: red)
        let camera = CameraView(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0))
        let full = try TestScene([ShapeSpec(geometry: .plane(width: 0, length: 0), body: 0), box], numBodies: 1)
            .render(backend, camera: camera, width: 1280, height: 720, device: device)
        let cached = try TestScene([TestScene.ground, box]).render(backend, camera: camera, width: 1280, height: 720, device: device)
        let look = backend.captureBackend.look, lens = backend.captureBackend.lens
        let t = 2.0 / Double(look.sunDirection.z)
        let shadow = RGBFrame.project(Vec3(2 - Double(look.sunDirection.x) * t, -Double(look.sunDirection.y) * t, 0),
                                      camera: camera, lens: lens, width: 1280, height: 720)
        let (x, y) = (Int(shadow.x), Int(shadow.y))
        #expect(full.meanLuminance(x, y) < cached.meanLuminance(x, y) + 3 && cached.meanLuminance(x, y) < full.meanLuminance(x, y) + 3,
                "full \(full.color(x, y)) vs cached \(cached.color(x, y))")
        #expect(full.meanLuminance(x, y) < full.meanLuminance(x, y + 40) * 0.85, "the box casts a shadow there")
    }

    @Test(arguments: ShapeType.allCases)
    func everyShapeTypeRenders(_ type: ShapeType) throws {
        let device = try RenderDevice()
        let geometry: ShapeGeometry = switch type {
        case .box: .box(halfExtents: Vec3(0.3, 0.4, 0.5))
        case .sphere: .sphere(radius: 0.4)
        case .capsule: .capsule(radius: 0.2, halfHeight: 0.3)
        case .cylinder: .cylinder(radius: 0.3, halfHeight: 0.4)
        case .cone: .cone(radius: 0.4, halfHeight: 0.4)
        case .ellipsoid: .ellipsoid(radii: Vec3(0.3, 0.5, 0.4))
        case .plane: .plane(width: 1.5, length: 1.5)
        case .mesh: .mesh(index: 0, scale: Vec3(0.5, 0.5, 0.5))
        }
        let tetrahedron = MeshData(vertices: [1, 1, 1, -1, -1, 1, -1, 1, -1, 1, -1, -1],
                                   indices: [0, 1, 2, 0, 3, 1, 0, 2, 3, 1, 3, 2])
        let scene = TestScene([ShapeSpec(geometry: geometry, body: -1, transform: Pose(position: Vec3(0, 0, 1)), color: red)],
                              meshes: type == .mesh ? [tetrahedron] : [])
        let frame = try scene.render(.newtonGL, camera: CameraView(eye: Vec3(4, 2, 4), lookat: Vec3(0, 0, 1)), device: device)
        #expect(frame.isRed(160, 90), "\(type) centre pixel \(frame.color(160, 90))")
    }

    @Test func fourThousandEnvironmentGridRenders() throws {
        let device = try RenderDevice()
        let envs = 4096, spacing: Float = 4, side = 64
        var shapes = [TestScene.ground]
        var poses: [Float] = []
        var origins: [Vec3] = []
        for env in 0..<envs {
            let x = spacing * (Float(env / side) - 31.5), y = spacing * (Float(env % side) - 31.5)
            origins.append(Vec3(Double(x), Double(y), 0))
            // Rail, cart and pole per environment; the cart is enlarged so that every one covers
            // pixels in a view of the whole 256 m grid.
            shapes.append(ShapeSpec(geometry: .box(halfExtents: Vec3(0.015, 4.0, 0.015)), body: 3 * env))
            shapes.append(ShapeSpec(geometry: .box(halfExtents: Vec3(1.0, 1.0, 0.1)), body: 3 * env + 1))
            shapes.append(ShapeSpec(geometry: .box(halfExtents: Vec3(0.02, 0.03, 0.5)), body: 3 * env + 2))
            poses += [x, y, 2, 0, 0, 0, 1, x, y, 2, 0, 0, 0, 1, x, y, 2.47, 0, 0, 0, 1]
        }
        let scene = TestScene(shapes, numBodies: 3 * envs)
        let rows = BodyPoseRows(steps: 0..<2, numBodies: 3 * envs, values: poses + poses)
        let camera = CameraView(eye: Vec3(0, 0, 450), lookat: Vec3(0, 0.001, 0))
        let (width, height) = (640, 360)
        // Kit has no fog, so the far environments keep their colours.
        let frames = try scene.render(.kit, cameras: [camera, camera], width: width, height: height, device: device, poses: rows)
        #expect(frames.count == 2)
        let lens = VideoBackend.kit.captureBackend.lens
        let missing = origins.filter { origin in
            let p = RGBFrame.project(origin + Vec3(0.5, 0.5, 2.1), camera: camera, lens: lens, width: width, height: height)
            guard (0..<width).contains(Int(p.x)), (0..<height).contains(Int(p.y)) else { return true }
            let c = frames[1].color(Int(p.x), Int(p.y))
            return max(c.x, c.y, c.z) - min(c.x, c.y, c.z) < 40
        }
        #expect(missing.isEmpty, "\(missing.count) of \(envs) carts not drawn, first at \(missing.first.map(\.description) ?? "")")
    }

    @Test func rejectsMismatchedInputs() throws {
        let device = try RenderDevice()
        let scene = TestScene([TestScene.ground])
        #expect(throws: RenderError.invalidSize(width: 321, height: 180)) {
            try ClipRenderer(device: device, backend: .kit, header: scene.header(steps: 1), meshes: [], width: 321, height: 180)
        }
        let renderer = try ClipRenderer(device: device, backend: .kit, header: scene.header(steps: 2), meshes: [],
                                        width: 64, height: 64)
        #expect(throws: RenderError.cameraCountMismatch(cameras: 1, steps: 2)) {
            try renderer.renderFrames(scene.restingPoses(steps: 2), cameras: [.recorderDefault]) { _, _ in }
        }
        let same = CameraView(eye: Vec3(1, 1, 1), lookat: Vec3(1, 1, 1))
        #expect(throws: RenderError.unusableCamera(frame: 0, eye: same.eye, lookat: same.lookat)) {
            try renderer.renderFrames(scene.restingPoses(steps: 2), cameras: [same, same]) { _, _ in }
        }
    }

    @Test func reportsWhatRenders() throws {
        let device = try RenderDevice()
        #expect(!device.vendor.isEmpty && device.vendor != "unknown")
        #expect(!device.renderer.isEmpty && device.renderer != "unknown")
        #expect(device.glVersion.hasPrefix("3.3") || device.glVersion.hasPrefix("4."))
    }
}
