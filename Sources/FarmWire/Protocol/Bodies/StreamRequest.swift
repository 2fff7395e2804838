import FarmCore

/// One entry of SUBMIT's `streams`: what one Isaac Lab 3 `VideoRecorderCfg` records, rendered from
/// the job's one rollout. Every field but `prefix` may be left out; it then takes the job's value
/// (the SUBMIT field of the same name), else its default.
public struct StreamRequest: Codable, Sendable, Equatable {
    /// `output_filename_prefix`: clips are `<prefix>_<index:04d>.mp4`, numbered per prefix.
    public var prefix: String
    public var videoLength: Int?
    public var videoInterval: Int?
    public var stepOffset: Int?
    public var frameStride: Int?
    public var fps: Int?
    public var backendInputs: BackendInputs?
    /// `rgb` (default), `depth`, `normals` or `segmentation`.
    public var output: String?
    public var depthColormapMin: Double?
    public var depthColormapMax: Double?
    /// Offsets from the origin when `origin_type` is not `world`.
    public var eye: Vec3?
    public var lookat: Vec3?
    /// `ViewerCfg.origin_type`: `world`, `env`, `asset_root` or `asset_body`.
    public var originType: String?
    public var envIndex: Int?
    public var assetName: String?
    /// `asset_body`: the body by name within the asset, or by index (`body_index`).
    public var bodyName: String?
    public var bodyIndex: Int?
    public var width: Int?
    public var height: Int?
    /// Keep only the newest N clips of this prefix in the folder (`None`/absent: keep all).
    public var keepLastNClips: Int?

    /// Every field, so SUBMIT's `required_fields` can name a stream's.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case prefix, videoLength, videoInterval, stepOffset, frameStride, fps, backendInputs, output, depthColormapMin,
             depthColormapMax, eye, lookat, originType, envIndex, assetName, bodyName, bodyIndex, width, height,
             keepLastNClips
    }

    public init(prefix: String, videoLength: Int? = nil, videoInterval: Int? = nil, stepOffset: Int? = nil,
                frameStride: Int? = nil, fps: Int? = nil, backendInputs: BackendInputs? = nil, output: String? = nil,
                depthColormapMin: Double? = nil, depthColormapMax: Double? = nil, eye: Vec3? = nil,
                lookat: Vec3? = nil, originType: String? = nil, envIndex: Int? = nil, assetName: String? = nil,
                bodyName: String? = nil, bodyIndex: Int? = nil, width: Int? = nil, height: Int? = nil,
                keepLastNClips: Int? = nil) {
        self.prefix = prefix
        self.videoLength = videoLength
        self.videoInterval = videoInterval
        self.stepOffset = stepOffset
        self.frameStride = frameStride
        self.fps = fps
        self.backendInputs = backendInputs
        self.output = output
        self.depthColormapMin = depthColormapMin
        self.depthColormapMax = depthColormapMax
        self.eye = eye
        self.lookat = lookat
        self.originType = originType
        self.envIndex = envIndex
        self.assetName = assetName
        self.bodyName = bodyName
        self.bodyIndex = bodyIndex
        self.width = width
        self.height = height
        self.keepLastNClips = keepLastNClips
    }
}
