/// Isaac Lab's `_resolve_video_backend` (`isaaclab/envs/utils/video_recorder.py`), step for step:
/// an active kit or newton visualizer wins (kit first) unless `backend_source` is `renderer`; else
/// kit when the physics name contains "physx" or a renderer is `isaac_rtx`, newton_gl when it
/// contains "newton" or a renderer is `newton_warp`; else Isaac Lab's error, verbatim.
public enum BackendResolver {
    /// The visualizer types that can capture video, in priority order (kit before newton).
    public static let capturingVisualizers: [MatchedVisualizer] = [.kit, .newton]

    /// - Parameters:
    ///   - visualizerTypes: the active visualizers' types, in the order they are active.
    ///   - physicsManagerName: the physics manager's class name; tested by lowercase substring.
    ///   - rendererTypes: the scene's sensor renderer types; tested by exact membership.
    ///   - backendSource: `VideoRecorderCfg.backend_source`, validated here as Isaac Lab does.
    public static func resolve(
        visualizerTypes: [String],
        physicsManagerName: String,
        rendererTypes: [String],
        backendSource: String = BackendSource.visualizer.rawValue
    ) throws(BackendResolutionError) -> BackendResolution {
        let source = try BackendSource(validating: backendSource)
        var warnings: [String] = []

        let consideredVisualizers = source == .visualizer ? visualizerTypes : []
        if !consideredVisualizers.isEmpty {
            if let preferred = capturingVisualizers.first(where: { consideredVisualizers.contains($0.rawValue) }) {
                return BackendResolution(backend: preferred.backend, matchedVisualizer: preferred, warnings: [])
            }
            warnings.append(
                "Active visualizer(s) \(PythonRepr.list(consideredVisualizers)) do not support video capture; "
                    + "falling back to physics/renderer stack detection.")
        }

        let physics = physicsManagerName.lowercased()
        let useKit = physics.contains("physx") || rendererTypes.contains("isaac_rtx")
        let useNewtonGL = physics.contains("newton") || rendererTypes.contains("newton_warp")
        if useKit { return BackendResolution(backend: .kit, matchedVisualizer: nil, warnings: warnings) }
        if useNewtonGL { return BackendResolution(backend: .newtonGL, matchedVisualizer: nil, warnings: warnings) }
        throw .noSupportedBackend
    }

    /// Resolution for a preset stack, with the physics manager and renderer types it implies.
    public static func resolve(
        stack: PresetStack,
        visualizerTypes: [String],
        backendSource: String = BackendSource.visualizer.rawValue
    ) throws(BackendResolutionError) -> BackendResolution {
        try resolve(
            visualizerTypes: visualizerTypes,
            physicsManagerName: stack.physicsManagerName,
            rendererTypes: stack.rendererTypes,
            backendSource: backendSource)
    }
}

extension BackendResolver {
    /// Resolution for a job's inputs as users give them: `presets` through `catalog` (no physics
    /// preset means physx), `physics` replacing the manager name the presets imply, and non-empty
    /// `rendererTypes` replacing their renderer types. farmctl, the coordinator and the worker all
    /// resolve through here, so they cannot disagree.
    /// - Throws: `PresetError` for an unknown or conflicting preset, `BackendResolutionError` as Isaac Lab.
    public static func resolve(presets: [String], physics: String?, rendererTypes: [String], visualizers: [String],
                               backendSource: String, catalog: PresetCatalog) throws -> BackendResolution {
        let stack = try catalog.stack(presets).overridden(physics: physics, rendererTypes: rendererTypes)
        return try resolve(stack: stack, visualizerTypes: visualizers, backendSource: backendSource)
    }
}
