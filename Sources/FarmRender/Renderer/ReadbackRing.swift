import CEGL
import FarmCore

/// Pixel-pack buffers in a ring: frame k is read into buffer k mod n with `glReadPixels`, which
/// returns at once on a GPU, and mapped only when the ring comes round, so the GPU renders frame
/// k+1 while frame k travels. Rows arrive top first because the projection is mirrored in Y.
final class ReadbackRing {
    let width: Int
    let height: Int
    private var buffers: [GLuint]
    private var byteCount: Int { width * height * 3 }

    init(width: Int, height: Int, count: Int) throws(RenderError) {
        self.width = width
        self.height = height
        buffers = [GLuint](repeating: 0, count: count)
        glGenBuffers(GLsizei(count), &buffers)
        for buffer in buffers {
            glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), buffer)
            glBufferData(GLenum(GL_PIXEL_PACK_BUFFER), width * height * 3, nil, GLenum(GL_STREAM_READ))
        }
        glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), 0)
        try GLCheck.after("creating \(count) pixel-pack buffers")
    }

    deinit { glDeleteBuffers(GLsizei(buffers.count), buffers) }

    var count: Int { buffers.count }

    /// Starts reading the bound read framebuffer into slot `slot`.
    func start(slot: Int, from framebuffer: GLuint) {
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), framebuffer)
        glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), buffers[slot])
        glPixelStorei(GLenum(GL_PACK_ALIGNMENT), 1)
        glReadPixels(0, 0, GLsizei(width), GLsizei(height), GLenum(GL_RGB), GLenum(GL_UNSIGNED_BYTE), nil)
        glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), 0)
    }

    /// Waits for slot `slot` and copies it out as a frame.
    func finish(slot: Int) throws(RenderError) -> RGBFrame {
        glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), buffers[slot])
        defer { glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), 0) }
        guard let mapped = glMapBufferRange(GLenum(GL_PIXEL_PACK_BUFFER), 0, byteCount, GLbitfield(GL_MAP_READ_BIT)) else {
            try GLCheck.after("mapping pixel-pack buffer \(slot)")
            throw .glError(operation: "mapping pixel-pack buffer \(slot)", error: "null mapping")
        }
        let pixels = [UInt8](UnsafeRawBufferPointer(start: mapped, count: byteCount))
        glUnmapBuffer(GLenum(GL_PIXEL_PACK_BUFFER))
        return RGBFrame(width: width, height: height, pixels: pixels)
    }
}
