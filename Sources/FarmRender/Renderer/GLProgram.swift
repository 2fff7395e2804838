import CEGL

/// A linked GLSL program with its uniform locations looked up once. Owns the GL object; the
/// creating thread's context must be current when it is created and released.
final class GLProgram {
    let name: String
    let handle: GLuint
    private var locations: [String: GLint] = [:]

    init(name: String, vertex: String, fragment: String, defines: [String] = []) throws(RenderError) {
        let header = "#version 330 core\n" + defines.map { "#define \($0)\n" }.joined()
        let vs = try Self.compile(GLenum(GL_VERTEX_SHADER), header + vertex, name: "\(name).vert")
        defer { glDeleteShader(vs) }
        let fs = try Self.compile(GLenum(GL_FRAGMENT_SHADER), header + fragment, name: "\(name).frag")
        defer { glDeleteShader(fs) }
        let program = glCreateProgram()
        glAttachShader(program, vs)
        glAttachShader(program, fs)
        glLinkProgram(program)
        var ok: GLint = 0
        glGetProgramiv(program, GLenum(GL_LINK_STATUS), &ok)
        guard ok == GL_TRUE else {
            let log = Self.log(program, length: glGetProgramiv, read: glGetProgramInfoLog)
            glDeleteProgram(program)
            throw .programLink(name: name, log: log)
        }
        self.name = name
        self.handle = program
    }

    deinit { glDeleteProgram(handle) }

    func use() { glUseProgram(handle) }

    func location(_ uniform: String) -> GLint {
        if let cached = locations[uniform] { return cached }
        let location = glGetUniformLocation(handle, uniform)
        locations[uniform] = location
        return location
    }

    func set(_ uniform: String, _ value: Float) { glUniform1f(location(uniform), value) }
    func set(_ uniform: String, _ value: Int32) { glUniform1i(location(uniform), value) }
    func set(_ uniform: String, _ value: Bool) { glUniform1i(location(uniform), value ? 1 : 0) }
    func set(_ uniform: String, _ v: SIMD2<Float>) { glUniform2f(location(uniform), v.x, v.y) }
    func set(_ uniform: String, _ v: SIMD3<Float>) { glUniform3f(location(uniform), v.x, v.y, v.z) }
    func set(_ uniform: String, _ m: Mat4) {
        m.elements.withUnsafeBufferPointer { glUniformMatrix4fv(location(uniform), 1, GLboolean(GL_FALSE), $0.baseAddress) }
    }

    private static func compile(_ stage: GLenum, _ source: String, name: String) throws(RenderError) -> GLuint {
        let shader = glCreateShader(stage)
        source.withCString { pointer in
            var p: UnsafePointer<GLchar>? = pointer
            glShaderSource(shader, 1, &p, nil)
        }
        glCompileShader(shader)
        var ok: GLint = 0
        glGetShaderiv(shader, GLenum(GL_COMPILE_STATUS), &ok)
        guard ok == GL_TRUE else {
            let log = Self.log(shader, length: glGetShaderiv, read: glGetShaderInfoLog)
            glDeleteShader(shader)
            throw .shaderCompile(name: name, log: log)
        }
        return shader
    }

    private static func log(_ object: GLuint,
                            length: (GLuint, GLenum, UnsafeMutablePointer<GLint>?) -> Void,
                            read: (GLuint, GLsizei, UnsafeMutablePointer<GLsizei>?, UnsafeMutablePointer<GLchar>?) -> Void) -> String {
        var size: GLint = 0
        length(object, GLenum(GL_INFO_LOG_LENGTH), &size)
        var buffer = [GLchar](repeating: 0, count: Int(max(size, 1)))
        read(object, GLsizei(buffer.count), nil, &buffer)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// `glGetError` as a typed error naming the operation.
enum GLCheck {
    static func after(_ operation: String) throws(RenderError) {
        let code = glGetError()
        guard code != GLenum(GL_NO_ERROR) else { return }
        let names: [Int32: String] = [
            GL_INVALID_ENUM: "GL_INVALID_ENUM", GL_INVALID_VALUE: "GL_INVALID_VALUE",
            GL_INVALID_OPERATION: "GL_INVALID_OPERATION", GL_OUT_OF_MEMORY: "GL_OUT_OF_MEMORY",
            GL_INVALID_FRAMEBUFFER_OPERATION: "GL_INVALID_FRAMEBUFFER_OPERATION",
        ]
        throw .glError(operation: operation, error: names[Int32(code)] ?? "0x\(String(code, radix: 16))")
    }
}
