import CEGL
import FarmCore

/// Renders a rollout's steps as frames with one capture backend, offscreen on a `RenderDevice`.
///
/// Per frame: the shapes' instance data are composed from body_q on the CPU, the scene pass draws
/// them into the frame target (the backend's lit look, `LitScenePass`, or a camera sensor's
/// colourised image, `SensorScenePass`), multisamples are resolved with a blit, and the frame is
/// read into a ring of pixel-pack buffers that is drained `ringSize - 1` frames later: as packed RGB
/// (`renderFrames`), or converted to I420 on the GPU first (`renderFramesYUV`).
///
/// Like its device, a renderer is used only on the thread that created the device.
public final class ClipRenderer {
    public let backend: any CaptureBackend
    /// What the frames show.
    public let output: ClipOutput
    public let width: Int
    public let height: Int
    /// Samples per pixel actually used (as requested, capped by the GL implementation; 1 for sensor outputs).
    public var samples: Int { target.samples }

    /// The backend's lens and look as the rollout's viewer changes them (`ViewerOverrides`).
    public let lens: Lens
    public let look: Look

    private let device: RenderDevice
    private let header: RolloutHeader
    private let geometry: SceneGeometry
    private let scenePass: any ScenePass
    private let target: FrameTarget
    private let readback: ReadbackRing
    /// Created by the first `renderFramesYUV`.
    private var i420Converter: I420Converter?

    public static let ringSize = 3

    /// 4× MSAA on GPUs. On the software rasteriser multisampling costs more than all shading
    /// together (measured in docs/RENDERING.md), so it renders one sample per pixel there.
    public static func defaultSamples(for device: RenderDevice) -> Int {
        device.isSoftwareRasterizer ? 1 : 4
    }

    /// - Parameters:
    ///   - output: what the frames show; the sensor outputs ignore the look's colours and lighting
    ///     and keep the backend's lens and camera policy.
    ///   - samples: samples per pixel of the rgb output; nil picks `defaultSamples(for:)`. Sensor
    ///     outputs always use one, so no pixel blends two surfaces' raw values.
    public init(device: RenderDevice, backend: VideoBackend, header: RolloutHeader, meshes: [MeshData],
                width: Int, height: Int, samples: Int? = nil, output: ClipOutput = .rgb) throws(RenderError) {
        guard width > 0, height > 0, width % 2 == 0, height % 2 == 0 else {
            throw .invalidSize(width: width, height: height)
        }
        for (i, shape) in header.shapes.enumerated() {
            if case .mesh(let index, _) = shape.geometry, index >= meshes.count {
                throw .missingMesh(shape: i, mesh: index, available: meshes.count)
            }
        }
        self.device = device
        self.backend = backend.captureBackend
        self.output = output
        self.header = header
        self.width = width
        self.height = height
        lens = self.backend.lens.overridden(by: header.viewer, aspect: Double(width) / Double(height))
        look = self.backend.look.overridden(by: header.viewer)
        if let sensor = try SensorScenePass(output: output) {
            let colors = SensorScenePass.instanceColors(shapes: header.shapes, numBodies: header.numBodies)
            geometry = try SceneGeometry(batches: SceneBatch.batches(shapes: header.shapes, colors: colors), meshes: meshes)
            scenePass = sensor
            target = try FrameTarget(width: width, height: height, samples: 1)
        } else {
            geometry = try SceneGeometry(batches: SceneBatch.batches(shapes: header.shapes, look: look), meshes: meshes)
            scenePass = try LitScenePass(look: look, geometry: geometry, width: width, height: height)
            target = try FrameTarget(width: width, height: height, samples: samples ?? Self.defaultSamples(for: device))
        }
        readback = try ReadbackRing(capacity: width * height * 3, count: Self.ringSize)
        try GLCheck.after("setting up the renderer")
    }

    /// Renders one frame per step of `poses.steps`, in order, calling `emit(k, frame)` for the k-th.
    /// `cameras` holds each frame's camera: which camera a frame gets (Kit's fixed one, a followed
    /// origin, the Newton visualizer's live track) is the caller's decision (`ClipPipeline`). Frames are
    /// emitted in order, up to `ringSize - 1` frames behind the GPU.
    public func renderFrames(_ poses: BodyPoseRows, cameras: [CameraView],
                             emit: (Int, RGBFrame) throws -> Void) throws {
        let (target, readback, width, height) = (self.target, self.readback, self.width, self.height)
        try render(poses, cameras: cameras, startReadback: { slot in
            readback.start(slot: slot, from: target.resolvedFramebuffer, width: width, height: height, format: GL_RGB)
        }, emit: { k, bytes in
            try emit(k, RGBFrame(width: width, height: height, pixels: bytes))
        })
    }

    /// As `renderFrames`, but each frame is converted to I420 (BT.709 limited range, as the
    /// encoder's swscale conversion) on the GPU before readback, for callers that only encode.
    public func renderFramesYUV(_ poses: BodyPoseRows, cameras: [CameraView],
                                emit: (Int, YUV420Frame) throws -> Void) throws {
        let converter = try i420Converter ?? I420Converter(width: width, height: height)
        i420Converter = converter
        let (target, readback, width, height) = (self.target, self.readback, self.width, self.height)
        try render(poses, cameras: cameras, startReadback: { slot in
            converter.convert(target)
            readback.start(slot: slot, from: converter.framebuffer, width: width, height: converter.rows, format: GL_RED)
        }, emit: { k, bytes in
            try emit(k, YUV420Frame(width: width, height: height, bytes: bytes))
        })
    }

    /// Draws each step, starts its readback into ring slot k mod n, and emits the bytes of the
    /// oldest slot once the ring is full.
    private func render(_ poses: BodyPoseRows, cameras: [CameraView], startReadback: (Int) -> Void,
                        emit: (Int, [UInt8]) throws -> Void) throws {
        guard poses.numBodies == header.numBodies else {
            throw RenderError.bodyCountMismatch(rows: poses.numBodies, header: header.numBodies)
        }
        guard cameras.count == poses.steps.count else {
            throw RenderError.cameraCountMismatch(cameras: cameras.count, steps: poses.steps.count)
        }
        for (k, camera) in cameras.enumerated() where !camera.isUsable {
            throw RenderError.unusableCamera(frame: k, eye: camera.eye, lookat: camera.lookat)
        }
        var pending: [Int] = []
        for (k, step) in poses.steps.enumerated() {
            draw(poses: poses, step: step, camera: cameras[k])
            startReadback(k % readback.count)
            pending.append(k)
            if pending.count == readback.count {
                let oldest = pending.removeFirst()
                try emit(oldest, try readback.finish(slot: oldest % readback.count))
            }
        }
        try GLCheck.after("rendering \(poses.steps.count) frames")
        for k in pending {
            try emit(k, try readback.finish(slot: k % readback.count))
        }
    }

    private func draw(poses: BodyPoseRows, step: Int, camera view: CameraView) {
        geometry.update(poses: poses, step: step)
        let camera = FrameCamera(view: view, lens: lens, width: width, height: height)
        scenePass.draw(geometry, view: view, camera: camera, into: target)
        target.resolve()
    }
}
