import CEGL

/// Converts the resolved frame to I420 on the GPU (see `I420Shaders`) into an R8 target laid out
/// as the I420 bytes, so one `GL_RED` read yields the frame: half the bytes of RGB to read back
/// and no colour conversion left for the CPU.
final class I420Converter {
    let width: Int
    let height: Int
    /// Rows of the R8 target: height for Y, height/2 for U and V packed width to a row.
    var rows: Int { height * 3 / 2 }
    private(set) var framebuffer: GLuint = 0
    private var renderbuffer: GLuint = 0
    private var emptyVertexArray: GLuint = 0
    private let lumaProgram: GLProgram
    private let chromaProgram: GLProgram
    /// A unit the scene passes leave alone (they use 0–2).
    private static let textureUnit: Int32 = 3

    init(width: Int, height: Int) throws(RenderError) {
        self.width = width
        self.height = height
        lumaProgram = try GLProgram(name: "i420 luma", vertex: I420Shaders.vertex, fragment: I420Shaders.luma)
        chromaProgram = try GLProgram(name: "i420 chroma", vertex: I420Shaders.vertex, fragment: I420Shaders.chroma)
        for program in [lumaProgram, chromaProgram] {
            program.use()
            program.set("u_frame", Self.textureUnit)
            program.set("u_width", Int32(width))
            program.set("u_height", Int32(height))
        }
        glGenRenderbuffers(1, &renderbuffer)
        glBindRenderbuffer(GLenum(GL_RENDERBUFFER), renderbuffer)
        glRenderbufferStorage(GLenum(GL_RENDERBUFFER), GLenum(GL_R8), GLsizei(width), GLsizei(rows))
        glGenFramebuffers(1, &framebuffer)
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), framebuffer)
        glFramebufferRenderbuffer(GLenum(GL_FRAMEBUFFER), GLenum(GL_COLOR_ATTACHMENT0), GLenum(GL_RENDERBUFFER), renderbuffer)
        try FrameTarget.checkComplete("I420 \(width)x\(rows) R8")
        glGenVertexArrays(1, &emptyVertexArray)
        try GLCheck.after("creating the I420 converter")
    }

    deinit {
        glDeleteVertexArrays(1, &emptyVertexArray)
        glDeleteFramebuffers(1, &framebuffer)
        glDeleteRenderbuffers(1, &renderbuffer)
    }

    /// Draws `target`'s resolved frame as I420 into `framebuffer`. The next frame's passes set
    /// the depth and culling state they need.
    func convert(_ target: FrameTarget) {
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), framebuffer)
        glDisable(GLenum(GL_DEPTH_TEST))
        glDisable(GLenum(GL_CULL_FACE))
        target.bindResolvedTexture(unit: Self.textureUnit)
        glBindVertexArray(emptyVertexArray)
        lumaProgram.use()
        glViewport(0, 0, GLsizei(width), GLsizei(height))
        glDrawArrays(GLenum(GL_TRIANGLES), 0, 3)
        chromaProgram.use()
        glViewport(0, GLint(height), GLsizei(width), GLsizei(rows - height))
        glDrawArrays(GLenum(GL_TRIANGLES), 0, 3)
    }
}
