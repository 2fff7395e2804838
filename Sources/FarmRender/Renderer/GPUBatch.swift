import CEGL

/// The GL objects of one instanced draw: a vertex array over the shape's mesh and its instance
/// buffer. Attribute locations match `SceneShaders` (0 position, 1 normal, 2–5 instance data).
final class GPUBatch {
    let indexCount: GLsizei
    let instanceCount: GLsizei
    private var vao: GLuint = 0
    private var buffers = [GLuint](repeating: 0, count: 3)
    private var instanceBuffer: GLuint { buffers[2] }

    init(mesh: ShapeMesh, instanceCount: Int) throws(RenderError) {
        self.indexCount = GLsizei(mesh.indices.count)
        self.instanceCount = GLsizei(instanceCount)
        glGenVertexArrays(1, &vao)
        glGenBuffers(3, &buffers)
        glBindVertexArray(vao)
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), buffers[0])
        mesh.vertices.withUnsafeBytes {
            glBufferData(GLenum(GL_ARRAY_BUFFER), $0.count, $0.baseAddress, GLenum(GL_STATIC_DRAW))
        }
        let vertexStride = GLsizei(ShapeMesh.floatsPerVertex * 4)
        attribute(0, components: 3, stride: vertexStride, offset: 0, perInstance: false)
        attribute(1, components: 3, stride: vertexStride, offset: 12, perInstance: false)
        glBindBuffer(GLenum(GL_ELEMENT_ARRAY_BUFFER), buffers[1])
        mesh.indices.withUnsafeBytes {
            glBufferData(GLenum(GL_ELEMENT_ARRAY_BUFFER), $0.count, $0.baseAddress, GLenum(GL_STATIC_DRAW))
        }
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), instanceBuffer)
        glBufferData(GLenum(GL_ARRAY_BUFFER), instanceCount * SceneBatch.floatsPerInstance * 4, nil, GLenum(GL_STREAM_DRAW))
        let instanceStride = GLsizei(SceneBatch.floatsPerInstance * 4)
        attribute(2, components: 3, stride: instanceStride, offset: 0, perInstance: true)
        attribute(3, components: 4, stride: instanceStride, offset: 12, perInstance: true)
        attribute(4, components: 3, stride: instanceStride, offset: 28, perInstance: true)
        attribute(5, components: 3, stride: instanceStride, offset: 40, perInstance: true)
        glBindVertexArray(0)
        try GLCheck.after("creating an instanced batch")
    }

    deinit {
        glDeleteBuffers(3, buffers)
        glDeleteVertexArrays(1, &vao)
    }

    /// Replaces the instance data (orphaning the old storage so the GPU never stalls on it).
    func upload(_ data: [Float]) {
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), instanceBuffer)
        data.withUnsafeBytes {
            glBufferData(GLenum(GL_ARRAY_BUFFER), $0.count, nil, GLenum(GL_STREAM_DRAW))
            glBufferSubData(GLenum(GL_ARRAY_BUFFER), 0, $0.count, $0.baseAddress)
        }
    }

    func draw() {
        glBindVertexArray(vao)
        glDrawElementsInstanced(GLenum(GL_TRIANGLES), indexCount, GLenum(GL_UNSIGNED_INT), nil, instanceCount)
    }

    private func attribute(_ location: GLuint, components: GLint, stride: GLsizei, offset: Int, perInstance: Bool) {
        glEnableVertexAttribArray(location)
        glVertexAttribPointer(location, components, GLenum(GL_FLOAT), GLboolean(GL_FALSE), stride,
                              UnsafeRawPointer(bitPattern: offset))
        glVertexAttribDivisor(location, perInstance ? 1 : 0)
    }
}
