import FarmCore
import Foundation

/// The lens a backend films with: a horizontal field of view fitted to the frame width (square
/// pixels), and clipping planes.
public struct Lens: Sendable, Equatable {
    public var horizontalFOV: Double
    public var near: Double
    public var far: Double

    public init(horizontalFOV: Double, near: Double, far: Double) {
        self.horizontalFOV = horizontalFOV
        self.near = near
        self.far = far
    }

    /// A camera lens given by focal length over horizontal aperture (USD's convention).
    public init(focalLength: Double, horizontalAperture: Double, near: Double, far: Double) {
        self.init(horizontalFOV: 2 * atan(horizontalAperture / (2 * focalLength)), near: near, far: far)
    }

    /// `2·atan(tan(h/2)/aspect)` for `aspect = width/height`.
    public func verticalFOV(aspect: Double) -> Double { 2 * atan(tan(horizontalFOV / 2) / aspect) }
}

/// The shading constants of a look; every one is documented in docs/RENDERING.md. Colours are
/// linear RGB unless named sRGB.
public struct Look: Sendable, Equatable {
    public enum Variant: String, Sendable { case newton = "LOOK_NEWTON", kit = "LOOK_KIT" }

    public var variant: Variant
    /// Direction towards the sun (distant light), Z up, normalised.
    public var sunDirection: SIMD3<Float>
    public var lightColor: SIMD3<Float>
    public var lightIntensity: Float
    public var ambientSky: SIMD3<Float>
    public var ambientGround: SIMD3<Float>
    public var ambientScale: Float
    public var roughness: Float
    public var exposure: Float
    /// Background: output colours (not tone-mapped) at the horizon and the zenith.
    public var skyLower: SIMD3<Float>
    public var skyUpper: SIMD3<Float>
    public var sunGlow: Float
    public var fogColor: SIMD3<Float>
    /// Fog start and end distances in metres (newton only).
    public var fogRange: SIMD2<Float>
    /// sRGB colour of a ground plane that has no colour of its own.
    public var groundColorSRGB: SIMD3<Float>
    /// sRGB grid line colour and half width in metres (kit only).
    public var gridColorSRGB: SIMD3<Float>
    public var gridHalfWidth: Float
    /// sRGB colours by shape index for shapes without a colour.
    public var paletteSRGB: [SIMD3<Float>]
    /// How sRGB colours become linear albedo for this look's shader.
    public var decoding: ColorDecoding
    public var shadow: ShadowSettings
    /// Newton's "spotlight": the sun's direct light narrowed to a cone around the camera (nil: none).
    public var spotlight: Spotlight?
}

/// Newton's `SpotlightAttenuation` (on by default in its ViewerGL): the direct light is scaled by
/// `smoothstep(cos outer, cos inner, angle)` between the sun direction and the direction from the
/// fragment to a point `distance` metres from the camera towards the sun. The ground far from the
/// camera therefore gets ambient light only.
public struct Spotlight: Sendable, Equatable {
    public var distance: Float
    /// Cone half angles, radians: full light inside `inner`, none outside `outer`.
    public var inner: Float
    public var outer: Float

    public init(distance: Float, inner: Float, outer: Float) {
        self.distance = distance
        self.inner = inner
        self.outer = outer
    }

    /// (distance, cos outer, cos inner), as the shader takes it.
    var uniform: SIMD3<Float> { SIMD3(distance, cos(outer), cos(inner)) }
}

/// sRGB → linear conversions: Newton's `pow(c, 2.2)` or the exact sRGB transfer function.
public enum ColorDecoding: Sendable, Equatable {
    case gamma22, srgb

    public func linear(_ c: Float) -> Float {
        switch self {
        case .gamma22: ColorSpace.gamma22ToLinear(c)
        case .srgb: ColorSpace.srgbToLinear(c)
        }
    }

    public func linear(_ c: SIMD3<Float>) -> SIMD3<Float> { SIMD3(linear(c.x), linear(c.y), linear(c.z)) }
}

/// Shadow-map constants, chosen by measurement on llvmpipe (docs/RENDERING.md).
public struct ShadowSettings: Sendable, Equatable {
    /// Depth map edge in texels.
    public var mapSize: Int
    /// Half width of the orthographic light frustum, metres, centred on the look-at point.
    public var halfExtent: Float
    /// Normal offset in texels of the map.
    public var normalBiasTexels: Float
    /// What the light frustum is centred on.
    public var centre: ShadowCentre
    /// Half spacing, in texels, of a 2×2 grid of bilinear compare taps (a smooth tent filter about
    /// `filterTexels + 1` texels wide each side); 0: one bilinear tap.
    public var filterTexels: Float

    public init(mapSize: Int, halfExtent: Float, normalBiasTexels: Float, centre: ShadowCentre = .lookat,
                filterTexels: Float = 0) {
        self.mapSize = mapSize
        self.halfExtent = halfExtent
        self.normalBiasTexels = normalBiasTexels
        self.centre = centre
        self.filterTexels = filterTexels
    }
}

/// The point the sun's orthographic shadow frustum is centred on.
public enum ShadowCentre: Sendable, Equatable {
    /// The camera's look-at point.
    case lookat
    /// The camera itself, its image's up as the map's up (Newton's `_render_shadow_map`).
    case camera
}

/// One way of filming a rollout: the lens, the look and how the camera moves.
public protocol CaptureBackend: Sendable {
    var kind: VideoBackend { get }
    var lens: Lens { get }
    var look: Look { get }
}

extension VideoBackend {
    /// The capture backend behind this name.
    public var captureBackend: any CaptureBackend {
        switch self {
        case .newtonGL: NewtonGLBackend()
        case .kit: KitBackend()
        }
    }
}

enum ColorSpace {
    /// The exact sRGB transfer function.
    static func srgbToLinear(_ c: Float) -> Float {
        c <= 0.04045 ? c / 12.92 : Float(pow((Double(c) + 0.055) / 1.055, 2.4))
    }

    /// Newton's approximation, `pow(c, 2.2)`.
    static func gamma22ToLinear(_ c: Float) -> Float { Float(pow(Double(c), 2.2)) }

    static func rgb255(_ r: Float, _ g: Float, _ b: Float) -> SIMD3<Float> { SIMD3(r, g, b) / 255 }
}
