/// The known presets, in catalog order, and the physics preset a stack gets when it names none.
public struct PresetCatalog: Sendable, Hashable {
    public let presets: [Preset]
    public let defaultPhysicsPresetName: String

    /// Validates that names are unique and non-empty, and that the default is a physics preset.
    public init(presets: [Preset], defaultPhysicsPresetName: String) throws(PresetError) {
        var seen = Set<String>()
        for preset in presets {
            if preset.name.isEmpty { throw .invalidCatalog(reason: "a preset has an empty name") }
            if !seen.insert(preset.name).inserted {
                throw .invalidCatalog(reason: "preset '\(preset.name)' is listed twice")
            }
        }
        guard let fallback = presets.first(where: { $0.name == defaultPhysicsPresetName }) else {
            throw .invalidCatalog(
                reason: "default_physics '\(defaultPhysicsPresetName)' is not a preset of the catalog")
        }
        guard case .physics = fallback.effect else {
            throw .invalidCatalog(
                reason: "default_physics '\(defaultPhysicsPresetName)' is not a physics preset")
        }
        self.presets = presets
        self.defaultPhysicsPresetName = defaultPhysicsPresetName
    }

    public var names: [String] { presets.map(\.name) }

    public func preset(named name: String) throws(PresetError) -> Preset {
        guard let preset = presets.first(where: { $0.name == name }) else {
            throw .unknownPreset(name: name, known: names)
        }
        return preset
    }

    /// Resolves a `presets=` stack. Entries are trimmed and empty ones dropped (so `a,b,` is `a,b`);
    /// repeating a preset is harmless; a stack without a physics preset gets the default (`physx`,
    /// as Isaac Lab does).
    public func stack(_ names: [String]) throws(PresetError) -> PresetStack {
        let cleaned = names.map(Self.trimmed).filter { !$0.isEmpty }
        var physics: (preset: String, manager: String)?
        var rendererTypes: [String] = []
        for name in cleaned {
            switch try preset(named: name).effect {
            case let .physics(managerName):
                if let chosen = physics, chosen.preset != name {
                    throw .conflictingPhysicsPresets(first: chosen.preset, second: name)
                }
                physics = (name, managerName)
            case let .renderer(type):
                if !rendererTypes.contains(type) { rendererTypes.append(type) }
            }
        }
        let managerName: String
        if let physics {
            managerName = physics.manager
        } else if case let .physics(fallback) = try preset(named: defaultPhysicsPresetName).effect {
            managerName = fallback
        } else {
            throw .invalidCatalog(reason: "default_physics '\(defaultPhysicsPresetName)' is not a physics preset")
        }
        return PresetStack(presetNames: cleaned, physicsManagerName: managerName, rendererTypes: rendererTypes)
    }

    /// Splits the command line's `a,b,c` form.
    public func stack(commaSeparated list: String) throws(PresetError) -> PresetStack {
        try stack(list.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
