/// What a `presets=` stack implies for backend resolution: one physics manager and the renderer
/// types of the scene's sensors.
public struct PresetStack: Sendable, Hashable {
    /// The presets as given, after dropping empty entries.
    public let presetNames: [String]
    public let physicsManagerName: String
    /// In stack order, without duplicates.
    public let rendererTypes: [String]

    public init(presetNames: [String], physicsManagerName: String, rendererTypes: [String]) {
        self.presetNames = presetNames
        self.physicsManagerName = physicsManagerName
        self.rendererTypes = rendererTypes
    }

    /// The stack with a job's direct overrides applied: `physics` replaces the implied manager name,
    /// non-empty `rendererTypes` replace the implied renderer types.
    public func overridden(physics: String?, rendererTypes overrides: [String]) -> PresetStack {
        PresetStack(presetNames: presetNames, physicsManagerName: physics ?? physicsManagerName,
                    rendererTypes: overrides.isEmpty ? rendererTypes : overrides)
    }
}
