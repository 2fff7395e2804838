import FarmCore
import Foundation

/// What a rollout's viewer may change in a backend's lens and look: the trainer's own viewer
/// settings (Isaac Lab's Newton visualizer's `focal_length` and `background_color`), so the clip is
/// filmed as that viewer films it.
extension Lens {
    /// This lens with a vertical field of view in degrees, fitted to a frame of `aspect` (width/height).
    public func with(verticalFOVDegrees degrees: Double, aspect: Double) -> Lens {
        let vertical = degrees * .pi / 180
        return Lens(horizontalFOV: 2 * atan(tan(vertical / 2) * aspect), near: near, far: far)
    }

    /// The lens a viewer asks for, else this one.
    public func overridden(by viewer: RolloutHeader.Viewer?, aspect: Double) -> Lens {
        guard let degrees = viewer?.verticalFOV else { return self }
        return with(verticalFOVDegrees: degrees, aspect: aspect)
    }
}

extension Look {
    /// This look with a flat background in place of its sky, as Newton's ViewerGL draws one when a
    /// background colour is set: the frame is cleared to it (an output colour, not tone-mapped),
    /// without the sun's glow, and distant shapes fog towards it.
    public func with(background srgb: Vec3) -> Look {
        let color = SIMD3<Float>(Float(srgb.x), Float(srgb.y), Float(srgb.z))
        var look = self
        look.skyLower = color
        look.skyUpper = color
        look.sunGlow = 0
        look.fogColor = decoding.linear(color)
        return look
    }

    /// This look with other sky colours (output colours at the horizon and the zenith); distant
    /// shapes fog towards the horizon's, as in Newton's ViewerGL, whose fog colour is its `sky_lower`.
    public func with(skyUpper upper: Vec3?, skyLower lower: Vec3?) -> Look {
        var look = self
        if let upper { look.skyUpper = SIMD3(Float(upper.x), Float(upper.y), Float(upper.z)) }
        if let lower {
            look.skyLower = SIMD3(Float(lower.x), Float(lower.y), Float(lower.z))
            look.fogColor = decoding.linear(look.skyLower)
        }
        return look
    }

    /// The look a viewer asks for, else this one: its background if it has one, else its sky colours.
    public func overridden(by viewer: RolloutHeader.Viewer?) -> Look {
        guard let viewer else { return self }
        if let background = viewer.background { return with(background: background) }
        return with(skyUpper: viewer.skyUpper, skyLower: viewer.skyLower)
    }
}
