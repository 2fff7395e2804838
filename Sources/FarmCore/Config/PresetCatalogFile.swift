/// `configs/presets.yaml`:
/// ```yaml
/// default_physics: physx
/// presets:
///   - name: physx
///     physics_manager: PhysxManager
///   - name: isaac_rtx_renderer
///     renderer_type: isaac_rtx
/// ```
enum PresetCatalogFile {
    static func parse(_ text: String, file: String) throws(ConfigError) -> PresetCatalog {
        let root = try YAMLValue.parse(text, file: file)
        let top = try root.mapping(allowedKeys: ["default_physics", "presets"])
        let defaultPhysics = try top.required("default_physics", in: root).string()
        let presets = try top.required("presets", in: root).sequence().map { (entry) throws(ConfigError) -> Preset in
            let fields = try entry.mapping(allowedKeys: ["name", "physics_manager", "renderer_type"])
            let name = try fields.required("name", in: entry).string()
            switch (fields["physics_manager"], fields["renderer_type"]) {
            case let (manager?, nil):
                return Preset(name: name, effect: .physics(managerName: try manager.string()))
            case let (nil, type?):
                return Preset(name: name, effect: .renderer(type: try type.string()))
            default:
                throw entry.fail("give exactly one of 'physics_manager' or 'renderer_type'")
            }
        }
        do {
            return try PresetCatalog(presets: presets, defaultPhysicsPresetName: defaultPhysics)
        } catch {
            throw root.fail(error.description)
        }
    }
}
