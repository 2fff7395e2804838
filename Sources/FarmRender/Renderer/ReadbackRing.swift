import CEGL

/// Pixel-pack buffers in a ring: frame k is read into buffer k mod n with `glReadPixels`, which
/// returns at once on a GPU, and mapped only when the ring comes round, so the GPU renders frame
/// k+1 while frame k travels. Rows arrive top first because the projection is mirrored in Y.
/// Buffers are sized for the largest read (packed RGB); an I420 read fills half of one.
final class ReadbackRing {
    private var buffers: [GLuint]
    private var byteCounts: [Int]

    init(capacity: Int, count: Int) throws(RenderError) {
        buffers = [GLuint](repeating: 0, count: count)
        byteCounts = [Int](repeating: 0, count: count)
        glGenBuffers(GLsizei(count), &buffers)
        for buffer in buffers {
            glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), buffer)
            glBufferData(GLenum(GL_PIXEL_PACK_BUFFER), capacity, nil, GLenum(GL_STREAM_READ))
        }
        glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), 0)
        try GLCheck.after("creating \(count) pixel-pack buffers")
    }

    deinit { glDeleteBuffers(GLsizei(buffers.count), buffers) }

    var count: Int { buffers.count }

    /// Starts reading `width` × `height` pixels of `framebuffer` as `format` (`GL_RGB`: 3 bytes a
    /// pixel, `GL_RED`: 1) into slot `slot`.
    func start(slot: Int, from framebuffer: GLuint, width: Int, height: Int, format: Int32) {
        byteCounts[slot] = width * height * (format == GL_RGB ? 3 : 1)
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), framebuffer)
        glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), buffers[slot])
        glPixelStorei(GLenum(GL_PACK_ALIGNMENT), 1)
        glReadPixels(0, 0, GLsizei(width), GLsizei(height), GLenum(format), GLenum(GL_UNSIGNED_BYTE), nil)
        glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), 0)
    }

    /// Waits for slot `slot` and copies out the bytes its last read delivered.
    func finish(slot: Int) throws(RenderError) -> [UInt8] {
        let byteCount = byteCounts[slot]
        glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), buffers[slot])
        defer { glBindBuffer(GLenum(GL_PIXEL_PACK_BUFFER), 0) }
        guard let mapped = glMapBufferRange(GLenum(GL_PIXEL_PACK_BUFFER), 0, byteCount, GLbitfield(GL_MAP_READ_BIT)) else {
            try GLCheck.after("mapping pixel-pack buffer \(slot)")
            throw .glError(operation: "mapping pixel-pack buffer \(slot)", error: "null mapping")
        }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: mapped, count: byteCount))
        glUnmapBuffer(GLenum(GL_PIXEL_PACK_BUFFER))
        return bytes
    }
}
