import CEGL
import FarmCore

/// Two screen-sized images of the static ground planes (fully lit, fully shadowed) for the camera
/// they were rendered from; see `CachedGroundShaders`.
final class GroundCache {
    let width: Int
    let height: Int
    /// The camera the images hold; nil until first rendered.
    var camera: CameraView?
    private var textures = [GLuint](repeating: 0, count: 2)
    private var framebuffer: GLuint = 0
    private var depth: GLuint = 0

    init(width: Int, height: Int) throws(RenderError) {
        self.width = width
        self.height = height
        glGenTextures(2, &textures)
        for texture in textures {
            glBindTexture(GLenum(GL_TEXTURE_2D), texture)
            glTexImage2D(GLenum(GL_TEXTURE_2D), 0, GL_RGBA8, GLsizei(width), GLsizei(height), 0,
                         GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), nil)
            glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MIN_FILTER), GL_NEAREST)
            glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MAG_FILTER), GL_NEAREST)
        }
        glGenRenderbuffers(1, &depth)
        glBindRenderbuffer(GLenum(GL_RENDERBUFFER), depth)
        glRenderbufferStorage(GLenum(GL_RENDERBUFFER), GLenum(GL_DEPTH_COMPONENT24), GLsizei(width), GLsizei(height))
        glGenFramebuffers(1, &framebuffer)
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), framebuffer)
        glFramebufferRenderbuffer(GLenum(GL_FRAMEBUFFER), GLenum(GL_DEPTH_ATTACHMENT), GLenum(GL_RENDERBUFFER), depth)
        glFramebufferTexture2D(GLenum(GL_FRAMEBUFFER), GLenum(GL_COLOR_ATTACHMENT0), GLenum(GL_TEXTURE_2D), textures[0], 0)
        try FrameTarget.checkComplete("ground cache \(width)x\(height)")
        try GLCheck.after("creating the ground cache")
    }

    deinit {
        glDeleteFramebuffers(1, &framebuffer)
        glDeleteRenderbuffers(1, &depth)
        glDeleteTextures(2, textures)
    }

    /// Binds the framebuffer with image `shadowed ? 1 : 0` as colour, cleared, for drawing.
    func bindForDrawing(shadowed: Bool) {
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), framebuffer)
        glFramebufferTexture2D(GLenum(GL_FRAMEBUFFER), GLenum(GL_COLOR_ATTACHMENT0), GLenum(GL_TEXTURE_2D),
                               textures[shadowed ? 1 : 0], 0)
        glViewport(0, 0, GLsizei(width), GLsizei(height))
        glClear(GLbitfield(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT))
    }

    /// Binds the lit image to texture unit `unit` and the shadowed one to `unit + 1`.
    func bindTextures(unit: Int32) {
        for (i, texture) in textures.enumerated() {
            glActiveTexture(GLenum(GL_TEXTURE0 + unit + Int32(i)))
            glBindTexture(GLenum(GL_TEXTURE_2D), texture)
        }
    }
}
