import Testing
@testable import FarmCore

@Suite("Preset catalog")
struct PresetCatalogTests {
    let catalog = PresetCatalog.builtIn

    @Test("Isaac Lab's presets, in catalog order")
    func names() {
        #expect(catalog.names == ["physx", "newton_mjwarp", "isaac_rtx_renderer", "newton_renderer", "ovrtx_renderer"])
        #expect(catalog.defaultPhysicsPresetName == "physx")
    }

    @Test("What each preset implies", arguments: [
        (["physx"], "PhysxManager", [String]()),
        (["newton_mjwarp"], "NewtonManager", []),
        (["isaac_rtx_renderer"], "PhysxManager", ["isaac_rtx"]),
        (["newton_renderer"], "PhysxManager", ["newton_warp"]),
        (["ovrtx_renderer"], "PhysxManager", ["ovrtx"]),
        ([], "PhysxManager", []),
        (["newton_mjwarp", "ovrtx_renderer", "newton_renderer"], "NewtonManager", ["ovrtx", "newton_warp"]),
        (["ovrtx_renderer", "newton_mjwarp"], "NewtonManager", ["ovrtx"]),
        (["physx", "physx", "isaac_rtx_renderer", "isaac_rtx_renderer"], "PhysxManager", ["isaac_rtx"]),
    ])
    func stack(_ names: [String], _ physics: String, _ renderers: [String]) throws {
        let stack = try catalog.stack(names)
        #expect(stack.physicsManagerName == physics)
        #expect(stack.rendererTypes == renderers)
    }

    @Test("Comma-separated stacks are trimmed and blanks dropped", arguments: [
        ("newton_mjwarp,ovrtx_renderer", ["newton_mjwarp", "ovrtx_renderer"]),
        (" newton_mjwarp , ovrtx_renderer ,", ["newton_mjwarp", "ovrtx_renderer"]),
        ("", []),
        (",,", []),
    ])
    func commaSeparated(_ text: String, _ names: [String]) throws {
        #expect(try catalog.stack(commaSeparated: text).presetNames == names)
    }

    @Test("Unknown presets are named, with the known ones", arguments: ["Physx", "newton", "isaac_rtx", "rtx_renderer", "physx_"])
    func unknown(_ name: String) {
        #expect(throws: PresetError.unknownPreset(name: name, known: catalog.names)) {
            try catalog.stack(["physx", name])
        }
    }

    @Test("Unknown preset message")
    func unknownMessage() {
        let error = PresetError.unknownPreset(name: "bogus", known: catalog.names)
        #expect(error.description
            == "unknown preset 'bogus'; known presets: physx, newton_mjwarp, isaac_rtx_renderer, newton_renderer, ovrtx_renderer")
    }

    @Test("Two physics presets contradict each other")
    func conflictingPhysics() {
        #expect(throws: PresetError.conflictingPhysicsPresets(first: "physx", second: "newton_mjwarp")) {
            try catalog.stack(["physx", "ovrtx_renderer", "newton_mjwarp"])
        }
    }

    @Test("Catalogs are validated")
    func invalidCatalogs() {
        #expect(throws: PresetError.self) {
            try PresetCatalog(presets: [Preset(name: "", effect: .physics(managerName: "X"))], defaultPhysicsPresetName: "")
        }
        #expect(throws: PresetError.self) {
            try PresetCatalog(presets: [Preset(name: "a", effect: .physics(managerName: "X")),
                                        Preset(name: "a", effect: .renderer(type: "y"))], defaultPhysicsPresetName: "a")
        }
        #expect(throws: PresetError.self) {
            try PresetCatalog(presets: [Preset(name: "a", effect: .physics(managerName: "X"))], defaultPhysicsPresetName: "b")
        }
        #expect(throws: PresetError.self) {
            try PresetCatalog(presets: [Preset(name: "r", effect: .renderer(type: "y"))], defaultPhysicsPresetName: "r")
        }
    }
}
