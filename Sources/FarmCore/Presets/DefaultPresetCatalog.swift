extension PresetCatalog {
    /// The catalog compiled in, so `farmctl` works from any directory; identical to
    /// `configs/presets.yaml` (a test keeps the two in sync). Names follow Isaac Lab 3's `presets=`
    /// stack: physics `physx` (the default) and `newton_mjwarp`; renderers `isaac_rtx_renderer`
    /// (type `isaac_rtx`), `newton_renderer` (`newton_warp`) and `ovrtx_renderer` (`ovrtx`, from isaaclab_ov).
    public static let builtIn: PresetCatalog = {
        do {
            return try PresetCatalog(
                presets: [
                    Preset(name: "physx", effect: .physics(managerName: "PhysxManager")),
                    Preset(name: "newton_mjwarp", effect: .physics(managerName: "NewtonManager")),
                    Preset(name: "isaac_rtx_renderer", effect: .renderer(type: "isaac_rtx")),
                    Preset(name: "newton_renderer", effect: .renderer(type: "newton_warp")),
                    Preset(name: "ovrtx_renderer", effect: .renderer(type: "ovrtx")),
                ],
                defaultPhysicsPresetName: "physx")
        } catch {
            preconditionFailure("the built-in preset catalog is invalid: \(error)")
        }
    }()
}
