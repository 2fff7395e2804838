import ArgumentParser
import FarmCLI
import FarmCore
import FarmPipeline
import FarmRender
import Foundation

/// `farm-worker render`: one clip from a rollout file, with no coordinator.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render one clip from a rollout file to an MP4 (no coordinator).",
        discussion: """
            The backend comes from --backend, or from --presets (and --visualizer) resolved as Isaac Lab \
            does; the camera from the rollout's viewer, else the recorder default (7.5,7.5,7.5)→(0,0,0), \
            with --eye/--lookat overriding. A viewer measured from an env or asset origin the rollout \
            names follows it every frame (eye and lookat are then offsets), as the farm's jobs do; one \
            it does not name falls back to the recorder default. fps defaults to 1/step_dt.
            """)

    @Option(help: "Rollout file to render.")
    var rollout: String

    @Option(help: "MP4 to write (written under a temporary name, then renamed).")
    var out: String

    @Option(help: "Capture backend: kit or newton_gl.")
    var backend: VideoBackend?

    @Option(help: "Isaac Lab preset stack to resolve the backend from, e.g. newton_mjwarp,ovrtx_renderer.")
    var presets: String?

    @Option(help: "Active visualizer types for --presets resolution (may repeat).")
    var visualizer: [String] = []

    @Option(name: .customLong("first-step"), help: "Env step of the first frame (default: the rollout's first).")
    var firstStep: Int?

    @Option(help: "Frames to render (default: through the rollout's last step).")
    var frames: Int?

    @Option(parsing: .unconditional, help: "Camera position x,y,z in metres (a leading minus is a value, not a flag).")
    var eye: Vec3?

    @Option(parsing: .unconditional, help: "Camera target x,y,z in metres.")
    var lookat: Vec3?

    @Option(help: "Frame width in pixels (even).")
    var width = 1280

    @Option(help: "Frame height in pixels (even).")
    var height = 720

    @Option(help: "Frames per second (default: 1/step_dt of the rollout).")
    var fps: Double?

    @Option(help: "What the frames show: the lit scene or a camera sensor's image colourised as Isaac Lab 3's recorder does.")
    var output: ClipOutput.Kind = .rgb

    @Option(name: .customLong("depth-colormap-min"), help: "Depth mapped to turbo(0), metres (--output depth; default 0.1, Isaac Lab's).")
    var depthColormapMin: Double?

    @Option(name: .customLong("depth-colormap-max"), help: "Depth mapped to turbo(1), metres (--output depth; default 10, Isaac Lab's).")
    var depthColormapMax: Double?

    @Option(name: .customLong("png-dir"), help: "Also write every frame losslessly as DIR/frame_%05d.png.")
    var pngDirectory: String?

    @Option(name: .customLong("cuda-device"), help: "Render on the EGL device with this CUDA ordinal.")
    var cudaDevice: Int?

    @Option(name: .customLong("egl-device"), help: "Render on this raw EGL device index.")
    var eglDevice: Int?

    func validate() throws {
        if (backend == nil) == (presets == nil) { throw ValidationError("give exactly one of --backend and --presets") }
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        if let fps {
            do { try FrameRate.check(fps: fps, field: "--fps") } catch { throw ValidationError("\(error)") }
        }
        if cudaDevice != nil && eglDevice != nil { throw ValidationError("--cuda-device and --egl-device are exclusive") }
        if width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0 {
            throw ValidationError("--width \(width) and --height \(height) must be positive and even (H.264 yuv420p)")
        }
        if let eye, !eye.isFinite { throw ValidationError("--eye \(eye) has a NaN or infinite coordinate") }
        if let lookat, !lookat.isFinite { throw ValidationError("--lookat \(lookat) has a NaN or infinite coordinate") }
        if let eye, eye == lookat { throw ValidationError("--eye and --lookat are both \(eye); the camera must look elsewhere") }
        if output != .depth, depthColormapMin != nil || depthColormapMax != nil {
            throw ValidationError("--depth-colormap-min/max apply to --output depth only, not \(output.rawValue)")
        }
        _ = try clipOutput()
    }

    private func clipOutput() throws -> ClipOutput {
        do {
            return try ClipOutput(kind: output, depthMin: depthColormapMin, depthMax: depthColormapMax)
        } catch {
            throw ValidationError("--depth-colormap-min/max: \(error)")
        }
    }

    func run() throws {
        do {
            let source = try RolloutFile(path: rollout)
            let request = try makeRequest(source.header)
            if let pngDirectory { try FileManager.default.createDirectory(atPath: pngDirectory, withIntermediateDirectories: true) }
            let deviceRequest: DeviceRequest = cudaDevice.map { .cudaDevice($0) } ?? eglDevice.map { .eglDevice($0) } ?? .automatic
            let device = try RenderDevice(request: deviceRequest)
            for warning in device.selection.warnings { printError("warning: \(warning)") }
            let stats = try ClipPipeline(device: device).produce(
                request, rollout: source, outputPath: out,
                frameSink: pngDirectory.map { directory in
                    { index, frame in
                        let name = String(format: "frame_%05d.png", index)
                        try PNGEncoder.encode(frame).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
                    }
                })
            print("wrote \(stats.path): \(stats.frames) frames \(request.width)x\(request.height) at \(request.frameRate) fps, "
                + "\(request.backend) \(request.output.kind.rawValue) on \(device.renderer), \(String(format: "%.1f", stats.fps)) fps")
        } catch let error as ValidationError {
            throw error
        } catch {
            printError("farm-worker render: \(error)")
            throw ExitCode.failure
        }
    }

    /// `--fps` when given (checked in `validate`), else 1/step_dt.
    private func frameRate(header: RolloutHeader) throws -> FrameRate {
        try FrameRate(stepDT: fps.map { 1 / $0 } ?? header.stepDT)
    }

    private func makeRequest(_ header: RolloutHeader) throws -> ClipRenderRequest {
        var followsTrack = false
        let chosen: VideoBackend
        if let backend {
            chosen = backend
        } else {
            let stack = try PresetCatalog.builtIn.stack(commaSeparated: presets ?? "")
            let resolution = try BackendResolver.resolve(stack: stack, visualizerTypes: visualizer)
            for warning in resolution.warnings { printError("warning: \(warning)") }
            chosen = resolution.backend
            followsTrack = resolution.cameraSync == .livePerFrame && header.cameraTrack != nil
        }
        var view = CameraView.recorderDefault
        var anchor = CameraAnchor.world
        if let viewer = header.viewer {
            do {
                anchor = try CameraOrigin(viewer: viewer).resolve(in: header)
                view = CameraView(eye: viewer.eye, lookat: viewer.lookat)
            } catch {
                printError("warning: the rollout's viewer cannot be followed (\(error)); using the recorder default camera")
            }
        }
        if let eye { view.eye = eye }
        if let lookat { view.lookat = lookat }
        guard view.isUsable else {
            throw ValidationError("camera eye \(view.eye) and lookat \(view.lookat) must be finite and different")
        }
        let start = firstStep ?? header.firstStep
        let count = frames ?? (header.stepRange.upperBound - start)
        guard header.stepRange.contains(start), count >= 1, start + count <= header.stepRange.upperBound else {
            throw ValidationError("frames \(start)..<\(start + count) are outside the rollout's steps "
                + "\(header.stepRange.lowerBound)..<\(header.stepRange.upperBound)")
        }
        return ClipRenderRequest(backend: chosen, camera: view, anchor: anchor, followsCameraTrack: followsTrack,
                                 output: try clipOutput(),
                                 width: width, height: height,
                                 frameRate: try frameRate(header: header),
                                 steps: Array(start..<(start + count)))
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
