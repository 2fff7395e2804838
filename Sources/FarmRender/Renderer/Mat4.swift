import Foundation

/// A 4×4 single-precision matrix, column-major as OpenGL takes it.
struct Mat4: Equatable {
    var columns: [SIMD4<Float>]

    init(columns: [SIMD4<Float>]) {
        self.columns = columns
    }

    static let identity = Mat4(columns: [SIMD4(1, 0, 0, 0), SIMD4(0, 1, 0, 0), SIMD4(0, 0, 1, 0), SIMD4(0, 0, 0, 1)])

    static func * (a: Mat4, b: Mat4) -> Mat4 {
        Mat4(columns: b.columns.map { a * $0 })
    }

    static func * (a: Mat4, v: SIMD4<Float>) -> SIMD4<Float> {
        a.columns[0] * v.x + a.columns[1] * v.y + a.columns[2] * v.z + a.columns[3] * v.w
    }

    /// The 16 floats in column-major order, for `glUniformMatrix4fv`.
    var elements: [Float] { columns.flatMap { [$0.x, $0.y, $0.z, $0.w] } }

    /// World → camera for a camera at `eye` looking at `target` with `up` (gluLookAt).
    static func lookAt(eye: SIMD3<Float>, target: SIMD3<Float>, up: SIMD3<Float>) -> Mat4 {
        let f = normalize(target - eye)
        let s = normalize(cross(f, up))
        let u = cross(s, f)
        return Mat4(columns: [
            SIMD4(s.x, u.x, -f.x, 0), SIMD4(s.y, u.y, -f.y, 0), SIMD4(s.z, u.z, -f.z, 0),
            SIMD4(-dot(s, eye), -dot(u, eye), dot(f, eye), 1),
        ])
    }

    /// gluPerspective: vertical field of view in radians.
    static func perspective(fovY: Float, aspect: Float, near: Float, far: Float) -> Mat4 {
        let f = 1 / (fovY / 2).tan
        return Mat4(columns: [
            SIMD4(f / aspect, 0, 0, 0), SIMD4(0, f, 0, 0),
            SIMD4(0, 0, (far + near) / (near - far), -1), SIMD4(0, 0, 2 * far * near / (near - far), 0),
        ])
    }

    /// glOrtho.
    static func orthographic(left: Float, right: Float, bottom: Float, top: Float, near: Float, far: Float) -> Mat4 {
        Mat4(columns: [
            SIMD4(2 / (right - left), 0, 0, 0), SIMD4(0, 2 / (top - bottom), 0, 0), SIMD4(0, 0, -2 / (far - near), 0),
            SIMD4(-(right + left) / (right - left), -(top + bottom) / (top - bottom), -(far + near) / (far - near), 1),
        ])
    }

    /// Mirrors clip-space Y, so that GL's bottom-up framebuffer holds the image top row first and
    /// `glReadPixels` returns rows in the order frames are delivered (no CPU flip).
    static let flipY = Mat4(columns: [SIMD4(1, 0, 0, 0), SIMD4(0, -1, 0, 0), SIMD4(0, 0, 1, 0), SIMD4(0, 0, 0, 1)])
}

func dot(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { (a * b).sum() }
func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
func length(_ a: SIMD3<Float>) -> Float { dot(a, a).squareRoot() }
func normalize(_ a: SIMD3<Float>) -> SIMD3<Float> { a / length(a) }

extension Float {
    var tan: Float { Float(Foundation.tan(Double(self))) }
}
