import ArgumentParser
import FarmCore
import FarmRender
import FarmSim
import Foundation

/// `farm-bench render`: render + readback throughput of the built-in Cartpole scene, per backend,
/// output and environment count, with no encoding. Frames are read back and handed over exactly as the
/// pipeline receives them.
struct RenderBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render + readback fps of the Cartpole scene (no encoding).")

    @Option(help: "Capture backends (comma-separated: newton_gl, kit).") var backend = "newton_gl,kit"
    @Option(help: "Environment counts (comma-separated).") var envs = "64,4096"
    @Option(help: "Outputs (comma-separated: rgb, depth, normals, segmentation); a sensor output's ratio is to rgb's fps in the same run when rgb is listed.")
    var output = "rgb"
    @Option(help: "Frames timed per run.") var frames = 300
    @Option(help: "Runs per case; the fastest counts.") var repeats = 1
    @Option var width = 1280
    @Option var height = 720
    @Option(parsing: .unconditional, help: "Camera position x,y,z (Isaac-Cartpole's viewer by default).") var eye = "8,0,5"
    @Option(parsing: .unconditional, help: "Camera target x,y,z.") var lookat = "0,0,0"
    @Option(help: "Write each case's first frame as <dir>/<backend>_<envs>.png.") var pngDir: String?
    @Flag(help: "Print only the table's rows (tools/bench prints one header for all stages).") var rowsOnly = false

    /// Newton 1.8 ViewerGL's headless render + readback at 1280x720 on llvmpipe, measured on this
    /// project's 2-core CPU machines.
    static let newtonViewerFPS = 9.0

    func run() throws {
        let device = try RenderDevice()
        if !rowsOnly {
            print("# render device: EGL \(device.selection.device.index) (\(device.selection.device.kind.rawValue)), \(device.vendor) / \(device.renderer)")
            print(BenchTable.header)
        }
        let camera = CameraView(eye: try Self.vector(eye), lookat: try Self.vector(lookat))
        for envText in envs.split(separator: ",") {
            guard let envCount = Int(envText), envCount > 0 else { throw ValidationError("bad env count \(envText)") }
            let rollout = try CartpoleRollout(.init(steps: frames, numEnvs: envCount)).rollout()
            let poses = try rollout.bodyPoses(steps: rollout.header.stepRange)
            for name in backend.split(separator: ",") {
                guard let kind = VideoBackend(rawValue: String(name)) else {
                    throw ValidationError("unknown backend \(name); expected kit or newton_gl")
                }
                var rgbFPS: Double?
                for outputName in output.split(separator: ",") {
                    guard let outputKind = ClipOutput.Kind(rawValue: String(outputName)) else {
                        throw ValidationError("unknown output \(outputName); expected rgb, depth, normals or segmentation")
                    }
                    let fps = try measure(device: device, backend: kind, output: try ClipOutput(kind: outputKind),
                                          header: rollout.header, poses: poses, camera: camera, rgbFPS: rgbFPS)
                    if outputKind == .rgb { rgbFPS = fps }
                }
            }
        }
    }

    /// Prints one row and returns its wall-clock fps.
    private func measure(device: RenderDevice, backend: VideoBackend, output: ClipOutput, header: RolloutHeader,
                         poses: BodyPoseRows, camera: CameraView, rgbFPS: Double?) throws -> Double {
        let renderer = try ClipRenderer(device: device, backend: backend, header: header, meshes: [],
                                        width: width, height: height, output: output)
        let label = output == .rgb ? backend.rawValue : "\(backend.rawValue) \(output.kind.rawValue)"
        let cameras = Array(repeating: camera, count: poses.steps.count)
        // Untimed first frames: shader compilation and the ground cache.
        let warmup = BodyPoseRows(steps: poses.steps.lowerBound..<(poses.steps.lowerBound + 1), numBodies: poses.numBodies,
                                  values: Array(poses.values.prefix(poses.numBodies * RolloutFormat.floatsPerPose)))
        try renderer.renderFrames(warmup, cameras: [camera]) { _, frame in
            if let pngDir {
                try FileManager.default.createDirectory(atPath: pngDir, withIntermediateDirectories: true)
                let name = label.replacingOccurrences(of: " ", with: "_")
                try PNGEncoder.encode(frame).write(to: URL(fileURLWithPath: "\(pngDir)/\(name)_\(header.numEnvs).png"))
            }
        }
        var best = Timing.unmeasured
        var delivered = 0
        for _ in 0..<max(1, repeats) {
            delivered = 0
            best = best.fastest(try Timing.ofThisProcess {
                try renderer.renderFrames(poses, cameras: cameras) { _, _ in delivered += 1 }
            })
        }
        let fps = Double(frames) / best.wall, cpuFPS = Double(frames) / best.cpu
        let ratio = if let rgbFPS, output != .rgb {
            String(format: "%.2f× rgb (same run)", fps / rgbFPS)
        } else {
            String(format: "%.1f× Newton ViewerGL (%.0f fps, measured)", fps / Self.newtonViewerFPS, Self.newtonViewerFPS)
        }
        print(BenchTable.row([
            "render \(width)x\(height)",
            "\(label), \(header.numEnvs) envs, \(renderer.samples) sample\(renderer.samples == 1 ? "" : "s"), \(device.renderer)",
            "\(delivered)/\(frames)", String(format: "%.1f", fps), String(format: "%.1f", cpuFPS), ratio, "—", "—", "—",
        ]))
        return fps
    }

    private static func vector(_ text: String) throws -> Vec3 {
        let parts = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3 else { throw ValidationError("expected x,y,z, got \(text)") }
        return Vec3(parts[0], parts[1], parts[2])
    }
}
