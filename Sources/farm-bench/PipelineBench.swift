import ArgumentParser
import FarmCore
import FarmEncode
import FarmPipeline
import FarmRender
import FarmSim
import Foundation

/// `farm-bench pipeline`: a whole clip (render → readback → convert → encode → MP4 on disk) beside
/// render-only and encode-only on the same Cartpole frames, measured in the same run, so the ratio
/// shows how well the stages overlap (target: pipeline ≥ 0.8× the slower stage).
struct PipelineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Full-clip fps against render-only and encode-only on the same frames.")

    @Option(help: "Capture backends (comma-separated: newton_gl, kit).") var backend = "newton_gl,kit"
    @Option(help: "Environment counts (comma-separated).") var envs = "64,4096"
    @Option(help: "Frames per clip.") var frames = 300
    @Option(help: "Runs per case; the fastest counts.") var repeats = 1
    @Option var width = 1280
    @Option var height = 720
    @Flag(help: "Print only the table's rows (tools/bench prints one header for all stages).") var rowsOnly = false

    func run() throws {
        let device = try RenderDevice()
        if !rowsOnly { print(BenchTable.header) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("farm-bench-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for envText in envs.split(separator: ",") {
            guard let envCount = Int(envText), envCount > 0 else { throw ValidationError("bad env count \(envText)") }
            let rollout = try CartpoleRollout(.init(steps: frames, numEnvs: envCount)).rollout()
            for name in backend.split(separator: ",") {
                guard let kind = VideoBackend(rawValue: String(name)) else {
                    throw ValidationError("unknown backend \(name); expected kit or newton_gl")
                }
                try measure(device: device, backend: kind, rollout: rollout, in: directory)
            }
        }
    }

    private func measure(device: RenderDevice, backend: VideoBackend, rollout: InMemoryRollout, in directory: URL) throws {
        let header = rollout.header
        let camera = header.viewer.map { CameraView(eye: $0.eye, lookat: $0.lookat) } ?? .recorderDefault
        let request = ClipRenderRequest(backend: backend, camera: camera, width: width, height: height,
                                        frameRate: try FrameRate(stepDT: header.stepDT), steps: Array(header.stepRange))
        let settings = EncoderSettings()
        let output = directory.appendingPathComponent("clip.mp4").path

        // Render only (keeping the frames for the encode-only pass), encode only, and the whole
        // pipeline, interleaved per repeat so each gets the same share of the machine's quiet moments.
        let renderer = try ClipRenderer(device: device, backend: backend, header: header, meshes: [], width: width, height: height)
        let poses = try rollout.bodyPoses(steps: header.stepRange)
        let cameras = Array(repeating: camera, count: frames)
        try renderer.renderFrames(BodyPoseRows(steps: 0..<1, numBodies: poses.numBodies,
                                               values: Array(poses.values.prefix(poses.numBodies * RolloutFormat.floatsPerPose))),
                                  cameras: [camera]) { _, _ in }
        let pipeline = ClipPipeline(device: device, encoderSettings: settings)
        var (render, encode, whole) = (Timing.unmeasured, Timing.unmeasured, Timing.unmeasured)
        var produced = 0
        for _ in 0..<max(1, repeats) {
            var rendered: [RGBFrame] = []
            rendered.reserveCapacity(frames)
            render = render.fastest(try Timing.ofThisProcess {
                try renderer.renderFrames(poses, cameras: cameras) { _, frame in rendered.append(frame) }
            })
            encode = encode.fastest(try Timing.ofThisProcess {
                let encoder = try ClipEncoder(path: output, width: width, height: height, frameRate: request.frameRate,
                                              settings: settings)
                for frame in rendered { try encoder.append(frame) }
                _ = try encoder.finish()
            })
            rendered = []
            whole = whole.fastest(try Timing.ofThisProcess {
                produced = try pipeline.produce(request, rollout: rollout, outputPath: output).frames
            })
        }
        let size = Double((try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0) / 1e6

        let fps = { (t: Timing) in Double(frames) / t.wall }
        let slower = min(fps(render), fps(encode))
        let label = "\(backend.rawValue), \(header.numEnvs) envs"
        print(BenchTable.row(["render only", label, "\(frames)", String(format: "%.1f", fps(render)),
                              String(format: "%.1f", Double(frames) / render.cpu), "(same run as pipeline)", "—", "—", "—"]))
        print(BenchTable.row(["encode only", label + ", \(settings.preset) CRF \(settings.crf)", "\(frames)",
                              String(format: "%.1f", fps(encode)), String(format: "%.1f", Double(frames) / encode.cpu),
                              "(same run as pipeline)", String(format: "%.1f", size), "—", "—"]))
        print(BenchTable.row(["pipeline \(width)x\(height)", label, "\(produced)/\(frames)", String(format: "%.1f", fps(whole)),
                              String(format: "%.1f", Double(frames) / whole.cpu),
                              String(format: "%.2f× the slower stage (target ≥ 0.8)", fps(whole) / slower),
                              String(format: "%.1f", size), "—", "—"]))
    }
}
