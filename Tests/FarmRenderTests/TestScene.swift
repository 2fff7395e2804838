import FarmCore
@testable import FarmRender

/// Small scenes built in the tests themselves: a ground plane plus the shapes under test.
struct TestScene {
    var shapes: [ShapeSpec]
    var numBodies = 0
    var meshes: [MeshData] = []
    /// The rollout's viewer, for its lens and background (the camera itself comes per frame).
    var viewer: RolloutHeader.Viewer?

    static let ground = ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1)

    init(_ shapes: [ShapeSpec], numBodies: Int = 0, meshes: [MeshData] = []) {
        self.shapes = shapes
        self.numBodies = numBodies
        self.meshes = meshes
    }

    func header(steps: Int) -> RolloutHeader {
        RolloutHeader(stepDT: 1.0 / 60, steps: steps, numBodies: numBodies, numEnvs: 1, envSpacing: 4, viewer: viewer,
                      shapes: shapes, meshes: meshes.map { _ in MeshLocation(verticesOffset: 0, vertexCount: 0, indicesOffset: 0, indexCount: 0) })
    }

    /// Every body at the origin with identity rotation, for `steps` steps.
    func restingPoses(steps: Int) -> BodyPoseRows {
        BodyPoseRows(steps: 0..<steps, numBodies: numBodies,
                     values: Array(repeating: [0, 0, 0, 0, 0, 0, 1] as [Float], count: steps * numBodies).flatMap { $0 })
    }

    /// Renders one frame per camera with the scene at rest.
    func render(_ backend: VideoBackend, cameras: [CameraView], width: Int = 320, height: Int = 180,
                device: RenderDevice, poses: BodyPoseRows? = nil, output: ClipOutput = .rgb) throws -> [RGBFrame] {
        let renderer = try ClipRenderer(device: device, backend: backend, header: header(steps: cameras.count),
                                        meshes: meshes, width: width, height: height, output: output)
        var frames: [RGBFrame] = []
        try renderer.renderFrames(poses ?? restingPoses(steps: cameras.count), cameras: cameras) { k, frame in
            precondition(k == frames.count, "frames out of order")
            frames.append(frame)
        }
        return frames
    }

    func render(_ backend: VideoBackend, camera: CameraView, width: Int = 320, height: Int = 180,
                device: RenderDevice, output: ClipOutput = .rgb) throws -> RGBFrame {
        try render(backend, cameras: [camera], width: width, height: height, device: device, output: output)[0]
    }
}

extension RGBFrame {
    func color(_ x: Int, _ y: Int) -> SIMD3<Int> {
        let p = pixel(x: x, y: y)
        return SIMD3(Int(p.r), Int(p.g), Int(p.b))
    }

    func luminance(_ x: Int, _ y: Int) -> Double {
        let c = color(x, y)
        return 0.2126 * Double(c.x) + 0.7152 * Double(c.y) + 0.0722 * Double(c.z)
    }

    /// Mean luminance of a (2r+1)² window.
    func meanLuminance(_ x: Int, _ y: Int, radius r: Int = 2) -> Double {
        var sum = 0.0
        for dy in -r...r { for dx in -r...r { sum += luminance(x + dx, y + dy) } }
        return sum / Double((2 * r + 1) * (2 * r + 1))
    }

    /// Whether a pixel is close to pure red (the marker colour the tests paint objects with).
    func isRed(_ x: Int, _ y: Int) -> Bool {
        let c = color(x, y)
        return c.x > 120 && c.x > 2 * c.y + 30 && c.x > 2 * c.z + 30
    }

    func isBlue(_ x: Int, _ y: Int) -> Bool {
        let c = color(x, y)
        return c.z > 100 && c.z > 2 * c.x + 30 && c.z > c.y + 30
    }

    /// Where a world point lands in this frame, for a camera and lens (pixel coordinates, top-left origin).
    static func project(_ point: Vec3, camera: CameraView, lens: Lens, width: Int, height: Int) -> (x: Double, y: Double) {
        let c = FrameCamera(view: camera, lens: lens, width: width, height: height)
        let clip = c.viewProjection * SIMD4(Float(point.x), Float(point.y), Float(point.z), 1)
        let ndc = SIMD2(Double(clip.x / clip.w), Double(clip.y / clip.w))
        // The projection is mirrored in Y, so NDC y = -1 is the top row.
        return ((ndc.x + 1) / 2 * Double(width), (ndc.y + 1) / 2 * Double(height))
    }
}

let red = Vec3(1, 0, 0)
let blue = Vec3(0, 0, 1)
