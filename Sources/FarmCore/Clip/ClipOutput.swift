/// What a stream's frames show: the lit scene, or one of the camera-sensor images Isaac Lab 3's
/// recorder colourises (`camera_colorizer.py`, sources `sensor:<name>:depth|normals|segmentation`).
public enum ClipOutput: Sendable, Hashable, Codable {
    /// The backend's lit scene.
    case rgb
    /// Distance to the image plane in metres through the turbo colormap, clamped to `range`
    /// (`depth_colormap_min`, `depth_colormap_max`).
    case depth(range: ClosedRange<Double>)
    /// Surface normals, world frame, each component mapped from [-1, 1] to [0, 255].
    case normals
    /// One stable colour per body (see docs/RENDERING.md), background dark grey.
    case segmentation

    /// The names a submission and the wire use.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case rgb, depth, normals, segmentation
    }

    /// `VideoRecorderCfg`'s `depth_colormap_min` and `depth_colormap_max` defaults, metres.
    public static let defaultDepthRange: ClosedRange<Double> = 0.1...10

    public var kind: Kind {
        switch self {
        case .rgb: .rgb
        case .depth: .depth
        case .normals: .normals
        case .segmentation: .segmentation
        }
    }

    /// The output a submission names, with the depth range it gives (defaults when absent). The
    /// range must be finite with min < max, as the colormap divides by its span.
    public init(kind: Kind, depthMin: Double? = nil, depthMax: Double? = nil) throws(CameraConfigError) {
        switch kind {
        case .rgb: self = .rgb
        case .normals: self = .normals
        case .segmentation: self = .segmentation
        case .depth:
            let low = depthMin ?? Self.defaultDepthRange.lowerBound
            let high = depthMax ?? Self.defaultDepthRange.upperBound
            guard low.isFinite, high.isFinite, low >= 0, low < high else {
                throw .invalidValue(field: "depth_colormap_min/max", value: "\(low)/\(high)", origin: "depth output",
                                    reason: "must be finite, non-negative and min < max (metres)")
            }
            self = .depth(range: low...high)
        }
    }
}
