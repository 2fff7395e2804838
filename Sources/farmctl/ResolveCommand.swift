import ArgumentParser
import FarmCLI
import FarmCore

/// `farmctl resolve`: which capture backend Isaac Lab's `--video` would use for a setup.
struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve the video backend (kit or newton_gl) the way Isaac Lab's VideoRecorder does.",
        discussion: """
            --presets goes through configs/presets.yaml (no physics preset means physx); --physics and \
            --renderer give the physics manager name and renderer types directly and replace what the \
            presets imply. Errors print Isaac Lab's message on stderr and exit 1.
            """)

    @OptionGroup var config: ConfigOptions

    @Option(name: .customLong("presets"), help: "Isaac Lab preset stack, e.g. newton_mjwarp,ovrtx_renderer (may repeat).")
    var presets: [String] = []

    @Option(name: .customLong("physics"), help: "Physics manager class name, e.g. PhysxManager or MyNewtonManager.")
    var physics: String?

    @Option(name: .customLong("renderer"), help: "Sensor renderer type, e.g. isaac_rtx, newton_warp, ovrtx (may repeat).")
    var renderers: [String] = []

    @Option(name: .customLong("visualizer"), help: "Active visualizer type, in order: kit, newton, viser, rerun (may repeat).")
    var visualizers: [String] = []

    @Option(name: .customLong("backend-source"),
            help: "Where the backend comes from, as Isaac Lab's VideoRecorderCfg.backend_source.")
    var backendSource: BackendSource = .visualizer

    @Flag(help: "Print {\"backend\", \"matched_visualizer\", \"warnings\"} as JSON.")
    var json = false

    func run() throws {
        try reportingFailures {
            let configuration = try config.load()
            let stack: PresetStack
            do {
                stack = try configuration.presets.stack(splitList(presets))
                    .overridden(physics: physics, rendererTypes: splitList(renderers))
            } catch {
                throw CommandFailure(message: String(describing: error))
            }
            let resolution: BackendResolution
            do {
                resolution = try BackendResolver.resolve(stack: stack, visualizerTypes: splitList(visualizers),
                                                         backendSource: backendSource.rawValue)
            } catch {
                throw CommandFailure(message: String(describing: error))
            }
            if json {
                try JSONOutput.print(ResolveOutput(resolution))
            } else {
                for warning in resolution.warnings { printError("warning: \(warning)") }
                print("backend: \(resolution.backend.rawValue)")
                print("matched visualizer: \(resolution.matchedVisualizer?.rawValue ?? "none")")
                print("camera: \(Self.cameraSyncText(resolution.cameraSync))")
                print("physics manager: \(stack.physicsManagerName)")
                print("renderer types: \(stack.rendererTypes.isEmpty ? "none" : stack.rendererTypes.joined(separator: ", "))")
            }
        }
    }

    static func cameraSyncText(_ sync: CameraSync) -> String {
        switch sync {
        case .none: "task viewer (world origin) or explicit eye/lookat"
        case .initialFromVisualizer: "kit visualizer's eye/lookat, set once"
        case .livePerFrame: "newton visualizer's live camera, re-read every frame"
        }
    }
}

/// The `--json` shape: exactly these three keys, `matched_visualizer` null when none.
private struct ResolveOutput: Encodable {
    let resolution: BackendResolution

    init(_ resolution: BackendResolution) { self.resolution = resolution }

    private enum CodingKeys: String, CodingKey {
        case backend, matchedVisualizer = "matched_visualizer", warnings
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(resolution.backend.rawValue, forKey: .backend)
        try container.encode(resolution.matchedVisualizer?.rawValue, forKey: .matchedVisualizer)
        try container.encode(resolution.warnings, forKey: .warnings)
    }
}
