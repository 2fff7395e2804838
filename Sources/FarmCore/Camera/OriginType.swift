/// What a viewer's eye and lookat are measured from (`ViewerCfg.origin_type`).
public enum OriginType: String, Sendable, CaseIterable, Codable {
    case world
    case env
    case assetRoot = "asset_root"
    case assetBody = "asset_body"
}
