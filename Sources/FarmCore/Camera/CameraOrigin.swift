/// A requested camera origin, as `ViewerCfg` states it: `origin_type` with `env_index`, and for
/// `asset_root`/`asset_body` the asset's name and, for a body, its name or index within the asset.
public struct CameraOrigin: Sendable, Hashable, Codable {
    public enum Body: Sendable, Hashable, Codable {
        case name(String)
        case index(Int)
    }

    public var type: OriginType
    public var envIndex: Int
    public var assetName: String?
    public var body: Body?

    public init(type: OriginType = .world, envIndex: Int = 0, assetName: String? = nil, body: Body? = nil) {
        self.type = type
        self.envIndex = envIndex
        self.assetName = assetName
        self.body = body
    }

    public static let world = CameraOrigin()

    /// The anchor this origin names in `header`'s scene.
    public func resolve(in header: RolloutHeader) throws(CameraConfigError) -> CameraAnchor {
        switch type {
        case .world: return .world
        case .env, .assetRoot, .assetBody:
            throw .invalidValue(field: "origin_type", value: type.rawValue, origin: "camera origin",
                                reason: "is not supported yet")
        }
    }
}
