import CEGL
import FarmCore

/// A camera sensor's image as Isaac Lab 3's recorder colourises it (`SensorShaders`): every shape,
/// ground planes included, drawn once with the output's program over the background colour of
/// "nothing hit". No shadow map, ground cache or sky; the frame target has one sample, so no pixel
/// blends two surfaces' values.
final class SensorScenePass: ScenePass {
    private let program: GLProgram
    /// What a pixel no surface covers shows: turbo(1) for depth (infinitely far), normal (0, 0, 0)
    /// for normals, id 0 for segmentation.
    private let background: SIMD3<UInt8>
    private var turboTexture: GLuint = 0

    /// nil for `.rgb`, which `LitScenePass` draws.
    init?(output: ClipOutput) throws(RenderError) {
        let define: String
        switch output {
        case .rgb:
            return nil
        case .depth:
            define = "SENSOR_DEPTH"
            background = TurboColormap.color(index: TurboColormap.count - 1)
        case .normals:
            define = "SENSOR_NORMALS"
            background = SIMD3(repeating: 127)
        case .segmentation:
            define = "SENSOR_SEGMENTATION"
            background = SegmentationColors.background
        }
        program = try GLProgram(name: "\(output.kind.rawValue) sensor", vertex: SensorShaders.vertex,
                                fragment: SensorShaders.fragment, defines: [define])
        if case .depth(let range) = output {
            program.use()
            program.set("u_turbo", Int32(0))
            program.set("u_depthRange", SIMD2(Float(range.lowerBound), max(Float(range.upperBound - range.lowerBound), 1e-6)))
            turboTexture = Self.makeTurboTexture()
        }
        try GLCheck.after("creating the \(output.kind.rawValue) sensor pass")
    }

    deinit {
        if turboTexture != 0 { glDeleteTextures(1, &turboTexture) }
    }

    /// The instance colours a shape batch carries: the segmentation colour of each shape's id
    /// (`SegmentationColors`) as exact bytes; the other outputs ignore them.
    static func instanceColors(shapes: [ShapeSpec], numBodies: Int) -> [SIMD3<Float>] {
        SegmentationColors.ids(shapes: shapes, numBodies: numBodies).map { id in
            SIMD3<Float>(SegmentationColors.color(id: id)) / 255
        }
    }

    func draw(_ geometry: SceneGeometry, view: CameraView, camera: FrameCamera, into target: FrameTarget) {
        target.bindForDrawing()
        glDepthMask(GLboolean(GL_TRUE))
        let clear = SIMD3<Float>(background) / 255
        glClearColor(clear.x, clear.y, clear.z, 1)
        glClear(GLbitfield(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT))
        // Other passes on this context (the ground cache) clear with GL's default.
        glClearColor(0, 0, 0, 0)
        glEnable(GLenum(GL_DEPTH_TEST))
        glDepthFunc(GLenum(GL_LESS))
        // The mirrored projection flips winding, so front faces are clockwise.
        glFrontFace(GLenum(GL_CW))
        program.use()
        program.set("u_viewProj", camera.viewProjection)
        program.set("u_eye", camera.eye)
        program.set("u_forward", camera.forward)
        if turboTexture != 0 {
            glActiveTexture(GLenum(GL_TEXTURE0))
            glBindTexture(GLenum(GL_TEXTURE_2D), turboTexture)
        }
        geometry.draw(culledTo: FrustumCuller(camera.viewProjection)) { _ in true }
        glFrontFace(GLenum(GL_CCW))
    }

    private static func makeTurboTexture() -> GLuint {
        var texture: GLuint = 0
        var rgba: [UInt8] = []
        rgba.reserveCapacity(TurboColormap.count * 4)
        for i in 0..<TurboColormap.count {
            let c = TurboColormap.color(index: i)
            rgba += [c.x, c.y, c.z, 255]
        }
        glGenTextures(1, &texture)
        glBindTexture(GLenum(GL_TEXTURE_2D), texture)
        rgba.withUnsafeBytes {
            glTexImage2D(GLenum(GL_TEXTURE_2D), 0, GL_RGBA8, GLsizei(TurboColormap.count), 1, 0, GLenum(GL_RGBA),
                         GLenum(GL_UNSIGNED_BYTE), $0.baseAddress)
        }
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MIN_FILTER), GL_NEAREST)
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MAG_FILTER), GL_NEAREST)
        return texture
    }
}
