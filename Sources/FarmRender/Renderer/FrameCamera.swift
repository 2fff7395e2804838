import Foundation
import FarmCore

/// The matrices of one frame's perspective camera (Z up), mirrored in Y so readback is top-first.
struct FrameCamera {
    let eye: SIMD3<Float>
    /// Unit view direction (eye-space depth is the distance along it).
    let forward: SIMD3<Float>
    /// World direction of the image's top.
    let up: SIMD3<Float>
    let viewProjection: Mat4
    /// World directions through the screen corners NDC (-1,-1), (1,-1), (-1,1), for the sky.
    let ray00: SIMD3<Float>
    let ray10: SIMD3<Float>
    let ray01: SIMD3<Float>

    init(view: CameraView, lens: Lens, width: Int, height: Int) {
        let aspect = Double(width) / Double(height)
        let eye = SIMD3(Float(view.eye.x), Float(view.eye.y), Float(view.eye.z))
        let target = SIMD3(Float(view.lookat.x), Float(view.lookat.y), Float(view.lookat.z))
        let forward = normalize(target - eye)
        // Z is up unless the camera looks straight up or down; then +Y is the top of the image.
        let up: SIMD3<Float> = abs(forward.z) > 0.9999 ? SIMD3(0, 1, 0) : SIMD3(0, 0, 1)
        let fovY = lens.verticalFOV(aspect: aspect)
        let projection = Mat4.perspective(fovY: Float(fovY), aspect: Float(aspect), near: Float(lens.near), far: Float(lens.far))
        self.eye = eye
        self.forward = forward
        viewProjection = Mat4.flipY * projection * Mat4.lookAt(eye: eye, target: target, up: up)
        let right = normalize(cross(forward, up))
        let trueUp = cross(right, forward)
        self.up = trueUp
        let tanY = Float(tan(fovY / 2))
        let tanX = tanY * Float(aspect)
        // Clip-space Y is mirrored, so NDC y = +1 is the bottom of the image.
        func ray(_ x: Float, _ y: Float) -> SIMD3<Float> { forward + x * tanX * right - y * tanY * trueUp }
        ray00 = ray(-1, -1)
        ray10 = ray(1, -1)
        ray01 = ray(-1, 1)
    }
}

/// The sun's orthographic view for the shadow map, centred on the camera or on the point it looks
/// at (`ShadowCentre`).
struct LightView {
    let viewProjection: Mat4

    /// Distance from the centre to the light's eye, and the depth range it covers, metres.
    static let distance: Float = 50
    static let depthRange: ClosedRange<Float> = 1...100

    /// - Parameter up: the map's up direction; world Z (or +Y under a vertical sun) when nil or
    ///   parallel to the sun.
    init(sunDirection: SIMD3<Float>, center: SIMD3<Float>, halfExtent: Float, up preferredUp: SIMD3<Float>? = nil) {
        var up: SIMD3<Float> = abs(sunDirection.z) > 0.9999 ? SIMD3(0, 1, 0) : SIMD3(0, 0, 1)
        if let preferredUp, length(cross(preferredUp, sunDirection)) > 1e-3 { up = preferredUp }
        let view = Mat4.lookAt(eye: center + sunDirection * Self.distance, target: center, up: up)
        let projection = Mat4.orthographic(left: -halfExtent, right: halfExtent, bottom: -halfExtent, top: halfExtent,
                                           near: Self.depthRange.lowerBound, far: Self.depthRange.upperBound)
        viewProjection = projection * view
    }
}
