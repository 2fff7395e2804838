import CEGL
import FarmCore

/// The backend's look: the sun's shadow map, static ground planes shaded from a per-camera cache
/// (re-rendered when the camera moves) with shadow lookups only in casters' footprints, the shapes
/// lit and tone-mapped, and the sky in the pixels no shape covers.
final class LitScenePass: ScenePass {
    private let look: Look
    private let sceneProgram: GLProgram
    private let skyProgram: GLProgram
    private let shadowProgram: GLProgram
    private let cachedGroundProgram: GLProgram
    private let litGroundProgram: GLProgram
    /// Where shadows can fall on the cached ground, when it is horizontal (see `ShadowFootprints`).
    private let footprints: ShadowFootprints?
    private let footprintBatch: GPUBatch?
    private var footprintData: [Float] = []
    /// Present when the scene has static ground planes (see `CachedGroundShaders`).
    private let groundCache: GroundCache?
    private let shadowMap: ShadowMap
    private var emptyVertexArray: GLuint = 0

    init(look: Look, geometry: SceneGeometry, width: Int, height: Int) throws(RenderError) {
        self.look = look
        sceneProgram = try GLProgram(name: "scene", vertex: SceneShaders.vertex, fragment: SceneShaders.fragment,
                                     defines: [look.variant.rawValue])
        skyProgram = try GLProgram(name: "sky", vertex: SkyShaders.vertex, fragment: SkyShaders.fragment)
        shadowProgram = try GLProgram(name: "shadow", vertex: ShadowShaders.vertex, fragment: ShadowShaders.fragment)
        cachedGroundProgram = try GLProgram(name: "cached ground", vertex: SceneShaders.vertex,
                                            fragment: CachedGroundShaders.fragment, defines: [look.variant.rawValue])
        litGroundProgram = try GLProgram(name: "lit ground", vertex: SceneShaders.vertex,
                                         fragment: CachedGroundShaders.fragment, defines: ["WITHOUT_SHADOW_LOOKUP"])
        let batches = geometry.batches
        groundCache = batches.contains(where: \.isCachedGround) ? try GroundCache(width: width, height: height) : nil
        footprints = ShadowFootprints(groundBatches: batches.filter(\.isCachedGround), sunDirection: look.sunDirection,
                                      shadow: look.shadow)
        if footprints != nil {
            let casters = batches.filter(\.castsShadow).reduce(0) { $0 + $1.instances.count }
            footprintBatch = try GPUBatch(mesh: .plane(), instanceCount: casters)
        } else {
            footprintBatch = nil
        }
        shadowMap = try ShadowMap(size: look.shadow.mapSize)
        glGenVertexArrays(1, &emptyVertexArray)
        setConstantUniforms()
    }

    deinit { glDeleteVertexArrays(1, &emptyVertexArray) }

    func draw(_ geometry: SceneGeometry, view: CameraView, camera: FrameCamera, into target: FrameTarget) {
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
        shadowMap.clear(for: ShadowRegion(casters: geometry.batchesWithExtents(where: \.castsShadow),
                                          light: light.viewProjection,
                                          halfExtent: look.shadow.halfExtent, size: look.shadow.mapSize))
        glDisable(GLenum(GL_CULL_FACE))
        glEnable(GLenum(GL_POLYGON_OFFSET_FILL))
        glPolygonOffset(1.5, 2.0)
        shadowProgram.use()
        shadowProgram.set("u_lightViewProj", light.viewProjection)
        geometry.draw(culledTo: FrustumCuller(light.viewProjection)) { $0.castsShadow }
        glDisable(GLenum(GL_POLYGON_OFFSET_FILL))

        // The mirrored projection flips winding, so front faces are clockwise.
        glFrontFace(GLenum(GL_CW))
        let sceneProgram = self.sceneProgram
        let setGroundFlag = { (batch: SceneBatch) in sceneProgram.set("u_ground", batch.isGround) }
        sceneProgram.use()
        sceneProgram.set("u_viewProj", camera.viewProjection)
        sceneProgram.set("u_lightViewProj", light.viewProjection)
        sceneProgram.set("u_eye", camera.eye)
        if let groundCache, groundCache.camera != view {
            for shadowed in [false, true] {
                groundCache.bindForDrawing(shadowed: shadowed)
                sceneProgram.set("u_shadowMode", Float(shadowed ? 1 : 0))
                geometry.draw(prepare: setGroundFlag) { $0.isCachedGround }
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
                geometry.draw { $0.isCachedGround }
                footprints.patches(casters: geometry.batches.filter(\.castsShadow), meshes: geometry.meshes,
                                   light: light.viewProjection, into: &footprintData)
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
                geometry.draw { $0.isCachedGround }
            }
        }
        sceneProgram.use()
        sceneProgram.set("u_shadowMode", Float(-1))
        geometry.draw(culledTo: FrustumCuller(camera.viewProjection), prepare: setGroundFlag) { !$0.isCachedGround }

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
    }

    private func setConstantUniforms() {
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
