import CEGL

/// The colour target frames are drawn into: a multisampled colour + depth framebuffer resolved by
/// `glBlitFramebuffer` into a single-sampled one that readback reads. With one sample the draw goes
/// straight to the resolve target. The resolved colour is a texture so the I420 pass can sample it.
final class FrameTarget {
    let width: Int
    let height: Int
    let samples: Int
    private var framebuffers = [GLuint](repeating: 0, count: 2)
    private var renderbuffers = [GLuint](repeating: 0, count: 2)  // multisampled colour, depth
    private var resolvedTexture: GLuint = 0

    private var drawFramebuffer: GLuint { samples > 1 ? framebuffers[0] : framebuffers[1] }
    var resolvedFramebuffer: GLuint { framebuffers[1] }

    init(width: Int, height: Int, samples requested: Int) throws(RenderError) {
        var maxSamples: GLint = 1
        glGetIntegerv(GLenum(GL_MAX_SAMPLES), &maxSamples)
        self.width = width
        self.height = height
        self.samples = max(1, min(requested, Int(maxSamples)))
        glGenFramebuffers(2, &framebuffers)
        glGenRenderbuffers(2, &renderbuffers)
        let (w, h) = (GLsizei(width), GLsizei(height))

        // Resolve target: colour, plus depth when it is also the draw target.
        glGenTextures(1, &resolvedTexture)
        glBindTexture(GLenum(GL_TEXTURE_2D), resolvedTexture)
        glTexImage2D(GLenum(GL_TEXTURE_2D), 0, GL_RGBA8, w, h, 0, GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), nil)
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MIN_FILTER), GL_NEAREST)
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MAG_FILTER), GL_NEAREST)
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), framebuffers[1])
        glFramebufferTexture2D(GLenum(GL_FRAMEBUFFER), GLenum(GL_COLOR_ATTACHMENT0), GLenum(GL_TEXTURE_2D), resolvedTexture, 0)
        if samples == 1 {
            glBindRenderbuffer(GLenum(GL_RENDERBUFFER), renderbuffers[1])
            glRenderbufferStorage(GLenum(GL_RENDERBUFFER), GLenum(GL_DEPTH_COMPONENT24), w, h)
            glFramebufferRenderbuffer(GLenum(GL_FRAMEBUFFER), GLenum(GL_DEPTH_ATTACHMENT), GLenum(GL_RENDERBUFFER), renderbuffers[1])
        }
        try Self.checkComplete("resolve \(width)x\(height)")

        if samples > 1 {
            let s = GLsizei(samples)
            glBindRenderbuffer(GLenum(GL_RENDERBUFFER), renderbuffers[0])
            glRenderbufferStorageMultisample(GLenum(GL_RENDERBUFFER), s, GLenum(GL_RGBA8), w, h)
            glBindRenderbuffer(GLenum(GL_RENDERBUFFER), renderbuffers[1])
            glRenderbufferStorageMultisample(GLenum(GL_RENDERBUFFER), s, GLenum(GL_DEPTH_COMPONENT24), w, h)
            glBindFramebuffer(GLenum(GL_FRAMEBUFFER), framebuffers[0])
            glFramebufferRenderbuffer(GLenum(GL_FRAMEBUFFER), GLenum(GL_COLOR_ATTACHMENT0), GLenum(GL_RENDERBUFFER), renderbuffers[0])
            glFramebufferRenderbuffer(GLenum(GL_FRAMEBUFFER), GLenum(GL_DEPTH_ATTACHMENT), GLenum(GL_RENDERBUFFER), renderbuffers[1])
            try Self.checkComplete("\(samples)x MSAA \(width)x\(height)")
        }
        try GLCheck.after("creating the frame target")
    }

    deinit {
        glDeleteFramebuffers(2, framebuffers)
        glDeleteRenderbuffers(2, renderbuffers)
        glDeleteTextures(1, &resolvedTexture)
    }

    func bindForDrawing() {
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), drawFramebuffer)
        glViewport(0, 0, GLsizei(width), GLsizei(height))
    }

    /// Averages the samples into the resolve target (no-op with one sample).
    func resolve() {
        guard samples > 1 else { return }
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), framebuffers[0])
        glBindFramebuffer(GLenum(GL_DRAW_FRAMEBUFFER), framebuffers[1])
        let (w, h) = (GLint(width), GLint(height))
        glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GLbitfield(GL_COLOR_BUFFER_BIT), GLenum(GL_NEAREST))
    }

    /// Binds the resolved colour for sampling with `texelFetch`.
    func bindResolvedTexture(unit: Int32) {
        glActiveTexture(GLenum(GL_TEXTURE0 + unit))
        glBindTexture(GLenum(GL_TEXTURE_2D), resolvedTexture)
    }

    static func checkComplete(_ name: String) throws(RenderError) {
        let status = glCheckFramebufferStatus(GLenum(GL_FRAMEBUFFER))
        guard status == GLenum(GL_FRAMEBUFFER_COMPLETE) else {
            throw .framebufferIncomplete(name: name, status: "0x" + String(status, radix: 16))
        }
    }
}

/// A depth texture rendered from the sun, sampled with hardware depth comparison and bilinear
/// filtering (`sampler2DShadow`).
final class ShadowMap {
    let size: Int
    private var framebuffer: GLuint = 0
    private var texture: GLuint = 0

    init(size: Int) throws(RenderError) {
        self.size = size
        glGenTextures(1, &texture)
        glBindTexture(GLenum(GL_TEXTURE_2D), texture)
        glTexImage2D(GLenum(GL_TEXTURE_2D), 0, GL_DEPTH_COMPONENT24, GLsizei(size), GLsizei(size), 0,
                     GLenum(GL_DEPTH_COMPONENT), GLenum(GL_UNSIGNED_INT), nil)
        for (name, value) in [(GL_TEXTURE_MIN_FILTER, GL_LINEAR), (GL_TEXTURE_MAG_FILTER, GL_LINEAR),
                              (GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE), (GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE),
                              (GL_TEXTURE_COMPARE_MODE, GL_COMPARE_REF_TO_TEXTURE), (GL_TEXTURE_COMPARE_FUNC, GL_LEQUAL)] {
            glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(name), value)
        }
        glGenFramebuffers(1, &framebuffer)
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), framebuffer)
        glFramebufferTexture2D(GLenum(GL_FRAMEBUFFER), GLenum(GL_DEPTH_ATTACHMENT), GLenum(GL_TEXTURE_2D), texture, 0)
        glDrawBuffer(GLenum(GL_NONE))
        glReadBuffer(GLenum(GL_NONE))
        try FrameTarget.checkComplete("shadow map \(size)x\(size)")
        try GLCheck.after("creating the shadow map")
    }

    deinit {
        glDeleteFramebuffers(1, &framebuffer)
        glDeleteTextures(1, &texture)
    }

    /// Texels that may hold a depth other than the far plane: the whole map until the first clear.
    private lazy var dirty: ShadowRegion? = .whole(size)

    func bindForDrawing() {
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), framebuffer)
        glViewport(0, 0, GLsizei(size), GLsizei(size))
    }

    /// Clears the depth (bound for drawing) where earlier casters were drawn and where `region`'s
    /// will be; everywhere else it is already the far depth.
    func clear(for region: ShadowRegion?) {
        let target = switch (dirty, region) {
        case let (a?, b?): a.union(b)
        case let (a, b): a ?? b
        }
        if let target {
            glEnable(GLenum(GL_SCISSOR_TEST))
            glScissor(GLint(target.x), GLint(target.y), GLsizei(target.width), GLsizei(target.height))
            glClear(GLbitfield(GL_DEPTH_BUFFER_BIT))
            glDisable(GLenum(GL_SCISSOR_TEST))
        }
        dirty = region
    }

    func bindTexture(unit: Int32) {
        glActiveTexture(GLenum(GL_TEXTURE0 + unit))
        glBindTexture(GLenum(GL_TEXTURE_2D), texture)
    }
}
