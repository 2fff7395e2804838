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

    /// The origin a rollout's `viewer` (the task's `ViewerCfg`) states; its body, if any, by name.
    public init(viewer: RolloutHeader.Viewer) {
        self.init(type: OriginType(rawValue: viewer.originType) ?? .world, envIndex: viewer.envIndex,
                  assetName: viewer.assetName, body: viewer.bodyName.map(Body.name))
    }

    /// The anchor this origin names in `header`'s scene: `env` is the env's origin (a fixed point);
    /// `asset_root` the asset's first body in that env, `asset_body` the named (or numbered) body, each
    /// followed frame by frame. A body name is an exact name, else a regular expression (the first body
    /// it fully matches), as Isaac Lab's `find_bodies` reads it.
    public func resolve(in header: RolloutHeader) throws(CameraConfigError) -> CameraAnchor {
        switch type {
        case .world:
            return .world
        case .env:
            try requireEnv(count: header.numEnvs, of: "the rollout's num_envs")
            return .point(header.envOrigin(envIndex))
        case .assetRoot, .assetBody:
            let asset = try namedAsset(in: header)
            try requireEnv(count: asset.envCount(numEnvs: header.numEnvs), of: "asset \"\(asset.name)\"'s envs")
            let body = type == .assetRoot ? 0 : try bodyIndex(in: asset)
            return .body(asset.row(env: envIndex, body: body))
        }
    }

    private func fail(_ field: String, _ value: String, _ reason: String) -> CameraConfigError {
        .invalidValue(field: field, value: value, origin: "camera origin \(type.rawValue)", reason: reason)
    }

    private func requireEnv(count: Int, of what: String) throws(CameraConfigError) {
        guard (0..<count).contains(envIndex) else {
            throw fail("env_index", "\(envIndex)", "is out of range: \(what) are 0..<\(count)")
        }
    }

    private func namedAsset(in header: RolloutHeader) throws(CameraConfigError) -> RolloutAsset {
        guard let name = assetName else {
            throw fail("asset_name", "(none)", "is needed: name the asset the camera follows")
        }
        guard !header.assets.isEmpty else {
            throw fail("asset_name", "\"\(name)\"", "cannot be found: the rollout names no assets (its header has "
                       + "no \"assets\"); write them with the rollout, or use origin_type world or env")
        }
        guard let asset = header.asset(named: name) else {
            throw fail("asset_name", "\"\(name)\"", "is not an asset of the rollout; it has "
                       + Self.listed(header.assets.map(\.name)))
        }
        return asset
    }

    private func bodyIndex(in asset: RolloutAsset) throws(CameraConfigError) -> Int {
        switch body {
        case nil:
            throw fail("body_name", "(none)", "is needed: name the body of asset \"\(asset.name)\" the camera follows "
                       + "(it has \(Self.listed(asset.bodyNames)))")
        case .index(let index):
            guard asset.bodyNames.indices.contains(index) else {
                throw fail("body index", "\(index)", "is out of range: asset \"\(asset.name)\" has bodies "
                           + "0..<\(asset.bodyNames.count)")
            }
            return index
        case .name(let name):
            guard let index = asset.bodyNames.firstIndex(of: name)
                ?? Self.firstFullMatch(of: name, in: asset.bodyNames) else {
                throw fail("body_name", "\"\(name)\"", "is not a body of asset \"\(asset.name)\"; it has "
                           + Self.listed(asset.bodyNames))
            }
            return index
        }
    }

    /// Isaac Lab finds `body_name` with `asset.find_bodies`, a regular expression full-matched against the
    /// body names (`isaaclab/utils/string.py`, `resolve_matching_names`), and takes the first match.
    static func firstFullMatch(of pattern: String, in names: [String]) -> Int? {
        guard let regex = try? Regex(pattern) else { return nil }
        return names.firstIndex { (try? regex.wholeMatch(in: $0)) != nil }
    }

    /// Names in quotes, the first few of a long list and how many more.
    static func listed(_ names: [String], limit: Int = 8) -> String {
        let shown = names.prefix(limit).map { "\"\($0)\"" }.joined(separator: ", ")
        return names.count > limit ? "\(shown) and \(names.count - limit) more" : shown
    }
}
