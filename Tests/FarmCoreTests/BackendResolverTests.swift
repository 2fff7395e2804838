import Testing
@testable import FarmCore

/// One resolution case: inputs and what Isaac Lab's `_resolve_video_backend` returns.
struct ResolutionCase: CustomTestStringConvertible, Sendable {
    let label: String
    var presets: [String] = []
    var physics: String? = nil
    var renderers: [String]? = nil
    var visualizers: [String] = []
    var source = "visualizer"
    let backend: VideoBackend
    var matched: MatchedVisualizer? = nil
    var warnings: [String] = []

    var testDescription: String { label }

    func resolve() throws -> BackendResolution {
        let stack = try PresetCatalog.builtIn.stack(presets)
        return try BackendResolver.resolve(
            visualizerTypes: visualizers,
            physicsManagerName: physics ?? stack.physicsManagerName,
            rendererTypes: renderers ?? stack.rendererTypes,
            backendSource: source)
    }
}

private func fallbackWarning(_ list: String) -> String {
    "Active visualizer(s) \(list) do not support video capture; falling back to physics/renderer stack detection."
}

@Suite("Backend resolution")
struct BackendResolverTests {
    /// Every row of the seed's summary table ("Stack example → Video backend").
    static let summaryTable: [ResolutionCase] = [
        .init(label: "physx,...", presets: ["physx"], backend: .kit),
        .init(label: "physx,... with a renderer", presets: ["physx", "newton_renderer"], backend: .kit),
        .init(label: "isaac_rtx_renderer,...", presets: ["isaac_rtx_renderer"], backend: .kit),
        .init(label: "isaac_rtx_renderer with Newton physics", presets: ["newton_mjwarp", "isaac_rtx_renderer"], backend: .kit),
        .init(label: "newton_mjwarp,...", presets: ["newton_mjwarp"], backend: .newtonGL),
        .init(label: "newton_mjwarp,newton_renderer", presets: ["newton_mjwarp", "newton_renderer"], backend: .newtonGL),
        .init(label: "newton_renderer with no Kit signal", physics: "CustomManager", renderers: ["newton_warp"], backend: .newtonGL),
        .init(label: "newton_mjwarp,ovrtx_renderer", presets: ["newton_mjwarp", "ovrtx_renderer"], backend: .newtonGL),
        .init(label: "--visualizer kit", presets: ["newton_mjwarp"], visualizers: ["kit"], backend: .kit, matched: .kit),
        .init(label: "--visualizer newton", presets: ["physx"], visualizers: ["newton"], backend: .newtonGL, matched: .newton),
    ]

    /// Every branch of the resolver, including physics manager names given directly.
    static let branches: [ResolutionCase] = [
        // Visualizer priority.
        .init(label: "kit and newton: kit first", visualizers: ["kit", "newton"], backend: .kit, matched: .kit),
        .init(label: "newton listed before kit: kit still wins", visualizers: ["newton", "kit"], backend: .kit, matched: .kit),
        .init(label: "newton with unsupported ones", visualizers: ["viser", "newton", "rerun"], backend: .newtonGL, matched: .newton),
        .init(label: "kit visualizer rescues a stack with no backend", physics: "Other", visualizers: ["kit"], backend: .kit, matched: .kit),
        .init(label: "visualizer types are case-sensitive", presets: ["newton_mjwarp"], visualizers: ["Kit"],
              backend: .newtonGL, warnings: [fallbackWarning("['Kit']")]),
        // Unsupported visualizers: warning, then the stack.
        .init(label: "viser only", presets: ["physx"], visualizers: ["viser"], backend: .kit, warnings: [fallbackWarning("['viser']")]),
        .init(label: "rerun only", presets: ["newton_mjwarp"], visualizers: ["rerun"], backend: .newtonGL, warnings: [fallbackWarning("['rerun']")]),
        .init(label: "viser and rerun", presets: ["newton_mjwarp"], visualizers: ["viser", "rerun"], backend: .newtonGL,
              warnings: [fallbackWarning("['viser', 'rerun']")]),
        .init(label: "duplicates are listed as given", visualizers: ["viser", "viser"], backend: .kit,
              warnings: [fallbackWarning("['viser', 'viser']")]),
        // backend_source "renderer" ignores visualizers entirely, without a warning.
        .init(label: "renderer source ignores kit", presets: ["newton_mjwarp"], visualizers: ["kit"], source: "renderer", backend: .newtonGL),
        .init(label: "renderer source ignores newton", presets: ["physx"], visualizers: ["newton"], source: "renderer", backend: .kit),
        .init(label: "renderer source: no warning for viser", presets: ["physx"], visualizers: ["viser"], source: "renderer", backend: .kit),
        // Physics manager names: lowercase substring.
        .init(label: "PhysxManager", physics: "PhysxManager", renderers: [], backend: .kit),
        .init(label: "NewtonManager", physics: "NewtonManager", renderers: [], backend: .newtonGL),
        .init(label: "custom MyNewtonManager", physics: "MyNewtonManager", renderers: [], backend: .newtonGL),
        .init(label: "upper case PHYSX", physics: "MYPHYSXBACKEND", renderers: [], backend: .kit),
        .init(label: "lower case newton", physics: "newton", renderers: [], backend: .newtonGL),
        .init(label: "name holding both: Kit wins", physics: "NewtonPhysxBridge", renderers: [], backend: .kit),
        .init(label: "physx substring inside a word", physics: "NotPhysxAtAll", renderers: [], backend: .kit),
        // Renderer types: exact membership.
        .init(label: "isaac_rtx renderer with other physics", physics: "Other", renderers: ["isaac_rtx"], backend: .kit),
        .init(label: "newton_warp renderer with other physics", physics: "Other", renderers: ["newton_warp"], backend: .newtonGL),
        .init(label: "isaac_rtx beats newton_warp", physics: "Other", renderers: ["newton_warp", "isaac_rtx"], backend: .kit),
        .init(label: "isaac_rtx beats Newton physics", physics: "NewtonManager", renderers: ["isaac_rtx"], backend: .kit),
        .init(label: "PhysX physics beats newton_warp", physics: "PhysxManager", renderers: ["newton_warp"], backend: .kit),
        .init(label: "ovrtx with default physics", presets: ["ovrtx_renderer"], backend: .kit),
        .init(label: "ovrtx with PhysX", presets: ["physx", "ovrtx_renderer"], backend: .kit),
        .init(label: "newton_renderer alone implies physx", presets: ["newton_renderer"], backend: .kit),
        .init(label: "empty stack implies physx", presets: [], backend: .kit),
    ]

    @Test("Seed summary table", arguments: summaryTable)
    func summaryRow(_ row: ResolutionCase) throws {
        try check(row)
    }

    @Test("Resolution branches", arguments: branches)
    func branch(_ row: ResolutionCase) throws {
        try check(row)
    }

    private func check(_ row: ResolutionCase) throws {
        let result = try row.resolve()
        #expect(result.backend == row.backend)
        #expect(result.matchedVisualizer == row.matched)
        #expect(result.warnings == row.warnings)
    }

    static let unsupported: [ResolutionCase] = [
        .init(label: "unknown physics, no renderer", physics: "GenesisManager", renderers: [], backend: .kit),
        .init(label: "empty physics name", physics: "", renderers: [], backend: .kit),
        .init(label: "ovrtx with unknown physics", physics: "Other", renderers: ["ovrtx"], backend: .kit),
        .init(label: "renderer types are case-sensitive", physics: "Other", renderers: ["Isaac_RTX", "NEWTON_WARP"], backend: .kit),
        .init(label: "renderer types match whole", physics: "Other", renderers: ["isaac_rtx_renderer", "newton_warp2"], backend: .kit),
        .init(label: "only unsupported visualizers", physics: "Other", renderers: [], visualizers: ["viser"], backend: .kit),
        .init(label: "renderer source skips kit", physics: "Other", renderers: [], visualizers: ["kit"], source: "renderer", backend: .kit),
    ]

    @Test("No supported backend: Isaac Lab's error, verbatim", arguments: unsupported)
    func noBackend(_ row: ResolutionCase) {
        #expect(throws: BackendResolutionError.noSupportedBackend) { try row.resolve() }
    }

    @Test("backend_source is validated first, exactly", arguments: ["", "Visualizer", "RENDERER", "renderers", " visualizer", "kit"])
    func invalidSource(_ source: String) {
        let row = ResolutionCase(label: source, presets: ["physx"], visualizers: ["kit"], source: source, backend: .kit)
        #expect(throws: BackendResolutionError.invalidBackendSource(source)) { try row.resolve() }
    }

    @Test("Error messages are Isaac Lab's")
    func messages() {
        #expect(BackendResolutionError.invalidBackendSource("x").description
            == "VideoRecorderCfg.backend_source must be either 'visualizer' or 'renderer'.")
        #expect(BackendResolutionError.noSupportedBackend.description
            == "Video recording (--video) requires a supported backend: PhysX or Isaac RTX renderer (Kit camera), "
            + "or Newton physics / Newton Warp renderer (GL viewer). No supported backend detected; do not use --video for this setup.")
    }

    @Test("Camera sync follows the matched visualizer")
    func cameraSync() throws {
        #expect(try BackendResolver.resolve(visualizerTypes: ["newton"], physicsManagerName: "PhysxManager", rendererTypes: []).cameraSync == .livePerFrame)
        #expect(try BackendResolver.resolve(visualizerTypes: ["kit"], physicsManagerName: "NewtonManager", rendererTypes: []).cameraSync == .initialFromVisualizer)
        #expect(try BackendResolver.resolve(visualizerTypes: [], physicsManagerName: "NewtonManager", rendererTypes: []).cameraSync == CameraSync.none)
        #expect(try BackendResolver.resolve(visualizerTypes: ["viser"], physicsManagerName: "PhysxManager", rendererTypes: []).cameraSync == CameraSync.none)
    }

    @Test("Resolving a preset stack uses its physics manager and renderer types")
    func stackOverload() throws {
        let stack = try PresetCatalog.builtIn.stack(["newton_mjwarp", "ovrtx_renderer"])
        let result = try BackendResolver.resolve(stack: stack, visualizerTypes: [])
        #expect(result == BackendResolution(backend: .newtonGL, matchedVisualizer: nil, warnings: []))
    }
}
