import FarmCore
import Foundation

/// Newton 1.8 ViewerGL's look (`newton/_src/viewer/gl/shaders.py`, `opengl.py`) at Isaac Lab's
/// perspective-video field of view (60° horizontal). The camera follows the per-frame track.
/// Compared frame by frame with Newton's own ViewerGL by tools/look-check (docs/RENDERING.md).
public struct NewtonGLBackend: CaptureBackend {
    public init() {}

    public var kind: VideoBackend { .newtonGL }

    public var lens: Lens { Lens(horizontalFOV: 60 * .pi / 180, near: 0.01, far: 1000) }

    public var look: Look {
        let skyLower = ColorSpace.rgb255(40, 44, 55)
        return Look(
            variant: .newton,
            sunDirection: normalize(SIMD3(0.2, -0.3, 0.8)),
            lightColor: SIMD3(1, 1, 1), lightIntensity: 3.0,
            ambientSky: SIMD3(0.8, 0.8, 0.85), ambientGround: SIMD3(0.3, 0.3, 0.35), ambientScale: 0.7,
            roughness: 0.5, exposure: 1.6,
            skyLower: skyLower, skyUpper: ColorSpace.rgb255(68, 161, 255), sunGlow: 0.5,
            fogColor: ColorDecoding.gamma22.linear(skyLower), fogRange: SIMD2(20, 200),
            groundColorSRGB: SIMD3(0.125, 0.125, 0.15),
            gridColorSRGB: .zero, gridHalfWidth: 0,
            // Newton's palette (Paul Tol "bright"), starting where its first three shapes land.
            paletteSRGB: [ColorSpace.rgb255(102, 204, 238), ColorSpace.rgb255(34, 136, 51),
                          ColorSpace.rgb255(204, 187, 68), ColorSpace.rgb255(238, 102, 119),
                          ColorSpace.rgb255(170, 51, 119), ColorSpace.rgb255(238, 153, 51),
                          ColorSpace.rgb255(0, 153, 136), ColorSpace.rgb255(68, 119, 170)],
            decoding: .gamma22,
            // Newton: 4096², ±10 m around the camera, 16 dithered Poisson taps of radius 3 texels
            // (±1.5 cm). Here the same map, 2×2 bilinear taps ±1.5 texels apart: a smooth ±1.2 cm tent.
            shadow: ShadowSettings(mapSize: 4096, halfExtent: 10, normalBiasTexels: 1.5, centre: .camera,
                                   filterTexels: 1.5),
            spotlight: Spotlight(distance: 20, inner: 30 * .pi / 180, outer: 45 * .pi / 180))
    }
}
