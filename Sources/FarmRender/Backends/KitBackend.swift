import FarmCore
import Foundation

/// Isaac Sim's Kit perspective capture: the `/OmniverseKit_Persp` lens, the camera set once from
/// the first frame's eye/lookat, and a look modelled on Isaac Sim's default viewport (neutral grey
/// ground with a 1 m grid, dome-style ambient, one distant light with shadows, sRGB output).
public struct KitBackend: CaptureBackend {
    public init() {}

    public var kind: VideoBackend { .kit }

    /// 18.147 mm focal length over a 20.955 mm horizontal aperture; clipping as Kit's default camera
    /// (0.01 m near) with the far plane pulled in to 10 km to keep depth precision.
    public var lens: Lens { Lens(focalLength: 18.147, horizontalAperture: 20.955, near: 0.01, far: 10_000) }

    public var look: Look {
        Look(
            variant: .kit,
            sunDirection: normalize(SIMD3(-0.35, 0.25, 0.9)),
            lightColor: SIMD3(1.0, 0.98, 0.95), lightIntensity: 2.4,
            ambientSky: SIMD3(0.62, 0.64, 0.68), ambientGround: SIMD3(0.36, 0.36, 0.36), ambientScale: 1.0,
            roughness: 0.6, exposure: 1.0,
            skyLower: SIMD3(0.78, 0.79, 0.80), skyUpper: SIMD3(0.52, 0.55, 0.60), sunGlow: 0,
            fogColor: .zero, fogRange: SIMD2(1e9, 2e9),
            groundColorSRGB: SIMD3(0.45, 0.45, 0.45),
            gridColorSRGB: SIMD3(0.28, 0.28, 0.28), gridHalfWidth: 0.01,
            paletteSRGB: [SIMD3(0.85, 0.55, 0.25), SIMD3(0.25, 0.55, 0.85), SIMD3(0.55, 0.75, 0.30),
                          SIMD3(0.80, 0.30, 0.30), SIMD3(0.60, 0.45, 0.80), SIMD3(0.85, 0.80, 0.35)],
            decoding: .srgb,
            shadow: ShadowSettings(mapSize: 1024, halfExtent: 10, normalBiasTexels: 1.5),
            spotlight: nil)
    }
}
