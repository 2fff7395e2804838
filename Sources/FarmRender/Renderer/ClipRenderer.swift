import CEGL
import FarmCore

/// Renders a rollout's steps as frames with one capture backend, offscreen on a `RenderDevice`.
///
/// Per frame: the shapes' instance data are composed from body_q on the CPU and uploaded, the sun's
/// shadow map is drawn, static ground planes are shaded from a per-camera cache (re-rendered when
/// the camera moves), the shapes are drawn instanced per geometry into a multisampled framebuffer (4× on GPUs),
/// the sky fills the pixels no shape covers, the samples are resolved with a blit, and the frame is
/// read into a ring of pixel-pack buffers that is drained `ringSize - 1` frames later: as packed RGB
/// (`renderFrames`), or converted to I420 on the GPU first (`renderFramesYUV`).
///
/// Like its device, a renderer is used only on the thread that created the device.
public final class ClipRenderer {
    public let backend: any CaptureBackend
    public let width: Int
    public let height: Int
    /// Samples per pixel actually used (as requested, capped by the GL implementation).
    public var samples: Int { target.samples }

    private let device: RenderDevice
    private let header: RolloutHeader
    private var batches: [SceneBatch]
    private let gpuBatches: [GPUBatch]
    private let sceneProgram: GLProgram
    private let skyProgram: GLProgram
    private let shadowProgram: GLProgram
    private let cachedGroundProgram: GLProgram
    private let litGroundProgram: GLProgram
    /// Where shadows can fall on the cached ground, when it is horizontal (see `ShadowFootprints`).
    private let footprints: ShadowFootprints?
    private let footprintBatch: GPUBatch?
    private var footprintData: [Float] = []
    private let meshes: [MeshData]
    /// Per batch: the unit geometry's extent, for culling.
    private let extents: [SIMD3<Float>]
    private var visibleData: [Float] = []
    /// Present when the scene has static ground planes (see `CachedGroundShaders`).
    private let groundCache: GroundCache?
    private let target: FrameTarget
    private let shadowMap: ShadowMap
    private let readback: ReadbackRing
    /// Created by the first `renderFramesYUV`.
    private var i420Converter: I420Converter?
    private var emptyVertexArray: GLuint = 0

    public static let ringSize = 3

    /// 4× MSAA on GPUs. On the software rasteriser multisampling costs more than all shading
    /// together (measured in docs/RENDERING.md), so it renders one sample per pixel there.
    public static func defaultSamples(for device: RenderDevice) -> Int {
        device.isSoftwareRasterizer ? 1 : 4
    }

    /// - Parameter samples: samples per pixel; nil picks `defaultSamples(for:)`.
    public init(device: RenderDevice, backend: VideoBackend, header: RolloutHeader, meshes: [MeshData],
                width: Int, height: Int, samples: Int? = nil) throws(RenderError) {
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
        self.header = header
        self.width = width
        self.height = height
        let look = self.backend.look
        batches = SceneBatch.batches(shapes: header.shapes, look: look)
        var gpu: [GPUBatch] = []
        for batch in batches {
            gpu.append(try GPUBatch(mesh: batch.geometry.mesh(meshes), instanceCount: batch.instances.count))
        }
        gpuBatches = gpu
        for (batch, gpuBatch) in zip(batches, gpuBatches) where batch.isStatic {
            gpuBatch.upload(batch.data)
        }
        sceneProgram = try GLProgram(name: "scene", vertex: SceneShaders.vertex, fragment: SceneShaders.fragment,
                                     defines: [look.variant.rawValue])
        skyProgram = try GLProgram(name: "sky", vertex: SkyShaders.vertex, fragment: SkyShaders.fragment)
        shadowProgram = try GLProgram(name: "shadow", vertex: ShadowShaders.vertex, fragment: ShadowShaders.fragment)
        cachedGroundProgram = try GLProgram(name: "cached ground", vertex: SceneShaders.vertex,
                                            fragment: CachedGroundShaders.fragment, defines: [look.variant.rawValue])
        litGroundProgram = try GLProgram(name: "lit ground", vertex: SceneShaders.vertex,
                                         fragment: CachedGroundShaders.fragment, defines: ["WITHOUT_SHADOW_LOOKUP"])
        groundCache = batches.contains(where: \.isCachedGround) ? try GroundCache(width: width, height: height) : nil
        self.meshes = meshes
        extents = batches.map { $0.geometry.extent(meshes) }
        footprints = ShadowFootprints(groundBatches: batches.filter(\.isCachedGround), sunDirection: look.sunDirection,
                                      shadow: look.shadow)
        if footprints != nil {
            let casters = batches.filter(\.castsShadow).reduce(0) { $0 + $1.instances.count }
            footprintBatch = try GPUBatch(mesh: .plane(), instanceCount: casters)
        } else {
            footprintBatch = nil
        }
        target = try FrameTarget(width: width, height: height, samples: samples ?? Self.defaultSamples(for: device))
        shadowMap = try ShadowMap(size: look.shadow.mapSize)
        readback = try ReadbackRing(capacity: width * height * 3, count: Self.ringSize)
        glGenVertexArrays(1, &emptyVertexArray)
        setConstantUniforms(look)
        try GLCheck.after("setting up the renderer")
    }

    deinit { glDeleteVertexArrays(1, &emptyVertexArray) }

    /// Renders one frame per step of `poses.steps`, in order, calling `emit(k, frame)` for the k-th.
    /// `cameras` holds one camera per step; the backend decides how it uses them (Kit keeps the
    /// first). Frames are emitted in order, up to `ringSize - 1` frames behind the GPU.
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
        let frameCameras = backend.frameCameras(cameras)
        for (k, camera) in frameCameras.enumerated() where !camera.isUsable {
            throw RenderError.unusableCamera(frame: k, eye: camera.eye, lookat: camera.lookat)
        }
        var pending: [Int] = []
        for (k, step) in poses.steps.enumerated() {
            draw(poses: poses, step: step, camera: frameCameras[k])
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
        // Shapes are uploaded per pass, culled to what that pass can see; moving ground here.
        for i in batches.indices where !batches[i].isStatic {
            batches[i].update(poses: poses, step: step)
            if batches[i].isGround { gpuBatches[i].upload(batches[i].data) }
        }
        let look = backend.look
        let camera = FrameCamera(view: view, lens: backend.lens, width: width, height: height)
        let light: LightView
        switch look.shadow.centre {
        case .lookat:
            let center = SIMD3(Float(view.lookat.x), Float(view.lookat.y), Float(view.lookat.z))
            light = LightView(sunDirection: look.sunDirection, center: center, halfExtent: look.shadow.halfExtent)
        case .camera:
            light = LightView(sunDirection: look.sunDirection, center: camera.eye, halfExtent: look.shadow.halfExtent,
                              up: camera.up)
        }

        // Shadow pass: casters only, depth only, unmirrored.
        shadowMap.bindForDrawing()
        glEnable(GLenum(GL_DEPTH_TEST))
        glDepthFunc(GLenum(GL_LESS))
        glDepthMask(GLboolean(GL_TRUE))
        let casters = zip(batches, extents).filter { $0.0.castsShadow }.map { (batch: $0.0, extent: $0.1) }
        shadowMap.clear(for: ShadowRegion(casters: casters, light: light.viewProjection,
                                          halfExtent: look.shadow.halfExtent, size: look.shadow.mapSize))
        glDisable(GLenum(GL_CULL_FACE))
        glEnable(GLenum(GL_POLYGON_OFFSET_FILL))
        glPolygonOffset(1.5, 2.0)
        shadowProgram.use()
        shadowProgram.set("u_lightViewProj", light.viewProjection)
        draw(with: shadowProgram, culledTo: FrustumCuller(light.viewProjection)) { $0.castsShadow }
        glDisable(GLenum(GL_POLYGON_OFFSET_FILL))

        // The mirrored projection flips winding, so front faces are clockwise.
        glFrontFace(GLenum(GL_CW))
        sceneProgram.use()
        sceneProgram.set("u_viewProj", camera.viewProjection)
        sceneProgram.set("u_lightViewProj", light.viewProjection)
        sceneProgram.set("u_eye", camera.eye)
        if let groundCache, groundCache.camera != view {
            for shadowed in [false, true] {
                groundCache.bindForDrawing(shadowed: shadowed)
                sceneProgram.set("u_shadowMode", Float(shadowed ? 1 : 0))
                draw(with: sceneProgram) { $0.isCachedGround }
            }
            groundCache.camera = view
        }

        // Scene pass: cached ground first, then its shadow footprints (which must not cover shapes
        // and, not writing depth, cannot hide them), then the shapes.
        target.bindForDrawing()
        glClear(GLbitfield(GL_DEPTH_BUFFER_BIT))
        shadowMap.bindTexture(unit: 0)
        if let groundCache {
            groundCache.bindTextures(unit: 1)
            if let footprints, let footprintBatch {
                litGroundProgram.use()
                litGroundProgram.set("u_viewProj", camera.viewProjection)
                draw(with: litGroundProgram) { $0.isCachedGround }
                footprints.patches(casters: batches.filter(\.castsShadow), meshes: meshes, light: light.viewProjection,
                                   into: &footprintData)
                footprintBatch.upload(footprintData)
                cachedGroundProgram.use()
                cachedGroundProgram.set("u_viewProj", camera.viewProjection)
                cachedGroundProgram.set("u_lightViewProj", light.viewProjection)
                // Footprints lie on the ground, which is all the depth buffer holds yet: they need no
                // depth test (a coplanar test is at the mercy of rounding) and write no depth, so
                // the shapes drawn next still occlude them and the sky still fills what is not ground.
                glDisable(GLenum(GL_CULL_FACE))
                glDisable(GLenum(GL_DEPTH_TEST))
                footprintBatch.draw()
                glEnable(GLenum(GL_DEPTH_TEST))
            } else {
                cachedGroundProgram.use()
                cachedGroundProgram.set("u_viewProj", camera.viewProjection)
                cachedGroundProgram.set("u_lightViewProj", light.viewProjection)
                draw(with: cachedGroundProgram) { $0.isCachedGround }
            }
        }
        sceneProgram.use()
        sceneProgram.set("u_shadowMode", Float(-1))
        draw(with: sceneProgram, culledTo: FrustumCuller(camera.viewProjection)) { !$0.isCachedGround }

        // Sky where nothing was drawn: depth still at the cleared far value.
        glDisable(GLenum(GL_CULL_FACE))
        glDepthFunc(GLenum(GL_LEQUAL))
        glDepthMask(GLboolean(GL_FALSE))
        skyProgram.use()
        skyProgram.set("u_ray00", camera.ray00)
        skyProgram.set("u_ray10", camera.ray10)
        skyProgram.set("u_ray01", camera.ray01)
        glBindVertexArray(emptyVertexArray)
        glDrawArrays(GLenum(GL_TRIANGLES), 0, 3)
        glDepthMask(GLboolean(GL_TRUE))
        glFrontFace(GLenum(GL_CCW))

        target.resolve()
    }

    /// Draws the batches `include` accepts with `program` (already in use). With a culler, shape
    /// batches are first uploaded with only the instances it can see; ground is never culled.
    private func draw(with program: GLProgram, culledTo culler: FrustumCuller? = nil, _ include: (SceneBatch) -> Bool) {
        for (i, (batch, gpu)) in zip(batches, gpuBatches).enumerated() where include(batch) {
            if let culler, !batch.isGround {
                batch.visibleInstances(culler, extent: extents[i], into: &visibleData)
                gpu.upload(visibleData)
            }
            if batch.cullsBackFaces { glEnable(GLenum(GL_CULL_FACE)) } else { glDisable(GLenum(GL_CULL_FACE)) }
            if program === sceneProgram { program.set("u_ground", batch.isGround) }
            gpu.draw()
        }
    }

    private func setConstantUniforms(_ look: Look) {
        let texel = 1 / Float(look.shadow.mapSize)
        sceneProgram.use()
        sceneProgram.set("u_sunDir", look.sunDirection)
        sceneProgram.set("u_lightColor", look.lightColor)
        sceneProgram.set("u_lightIntensity", look.lightIntensity)
        sceneProgram.set("u_ambientSky", look.ambientSky)
        sceneProgram.set("u_ambientGround", look.ambientGround)
        sceneProgram.set("u_ambientScale", look.ambientScale)
        sceneProgram.set("u_roughness", look.roughness)
        sceneProgram.set("u_exposure", look.exposure)
        sceneProgram.set("u_fogColor", look.fogColor)
        sceneProgram.set("u_fogRange", look.fogRange)
        sceneProgram.set("u_gridColor", look.decoding.linear(look.gridColorSRGB))
        sceneProgram.set("u_gridHalfWidth", look.gridHalfWidth)
        sceneProgram.set("u_shadowMap", Int32(0))
        sceneProgram.set("u_normalBias", look.shadow.normalBiasTexels * 2 * look.shadow.halfExtent * texel)
        sceneProgram.set("u_shadowFilter", look.shadow.filterTexels * texel)
        if let spot = look.spotlight {
            sceneProgram.set("u_spotlight", spot.uniform)
        }
        cachedGroundProgram.use()
        cachedGroundProgram.set("u_shadowFilter", look.shadow.filterTexels * texel)
        cachedGroundProgram.set("u_sunDir", look.sunDirection)
        cachedGroundProgram.set("u_shadowMap", Int32(0))
        cachedGroundProgram.set("u_litGround", Int32(1))
        cachedGroundProgram.set("u_shadowedGround", Int32(2))
        cachedGroundProgram.set("u_normalBias", look.shadow.normalBiasTexels * 2 * look.shadow.halfExtent * texel)
        litGroundProgram.use()
        litGroundProgram.set("u_litGround", Int32(1))
        litGroundProgram.set("u_shadowedGround", Int32(2))
        skyProgram.use()
        skyProgram.set("u_skyUpper", look.skyUpper)
        skyProgram.set("u_skyLower", look.skyLower)
        skyProgram.set("u_sunDir", look.sunDirection)
        skyProgram.set("u_sunGlow", look.sunGlow)
    }
}
