import ArgumentParser
import FarmCore
import FarmRender
import Foundation

/// `farm-bench render`: render + readback throughput of the Cartpole scene, per backend.
struct RenderBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render + readback fps of the Cartpole scene (no encoding).")

    @Option(help: "Capture backends to measure (comma-separated: kit, newton_gl).")
    var backend = "newton_gl,kit"
    @Option(help: "Environment counts to measure (comma-separated).")
    var envs = "64,4096"
    @Option(help: "Frames timed per run.")
    var frames = 120
    @Option(help: "Frames rendered before timing starts.")
    var warmup = 5
    @Option var width = 1280
    @Option var height = 720
    @Option(help: "Write the first frame of each run as <dir>/<backend>_<envs>.png.")
    var pngDir: String?
    @Flag(help: "Print one JSON object per run.")
    var json = false

    func run() throws {
        let device = try RenderDevice()
        if !json {
            print("device: EGL \(device.selection.device.index) (\(device.selection.device.kind.rawValue)), GL \(device.vendor) / \(device.renderer)")
            print("backend    envs   frames  size       fps     ms/frame")
        }
        for backendName in backend.split(separator: ",") {
            guard let kind = VideoBackend(rawValue: String(backendName)) else {
                throw ValidationError("unknown backend \(backendName); expected kit or newton_gl")
            }
            for envText in envs.split(separator: ",") {
                guard let envCount = Int(envText), envCount > 0 else { throw ValidationError("bad env count \(envText)") }
                try measure(device: device, backend: kind, envs: envCount)
            }
        }
    }

    private func measure(device: RenderDevice, backend: VideoBackend, envs: Int) throws {
        let spacing = 4.0
        let total = warmup + frames
        let header = BenchCartpole.header(envs: envs, spacing: spacing, steps: total)
        let poses = BenchCartpole.poses(envs: envs, spacing: spacing, steps: 0..<total)
        let camera = CameraView(eye: header.viewer!.eye, lookat: header.viewer!.lookat)
        let renderer = try ClipRenderer(device: device, backend: backend, header: header, meshes: [],
                                        width: width, height: height)
        var checksum = 0
        var start = Date()
        try renderer.renderFrames(poses, cameras: Array(repeating: camera, count: total)) { k, frame in
            if k == 0, let pngDir {
                try FileManager.default.createDirectory(atPath: pngDir, withIntermediateDirectories: true)
                try PNGFile.write(frame, to: "\(pngDir)/\(backend.rawValue)_\(envs).png")
            }
            if k == warmup - 1 || (warmup == 0 && k == 0) { start = Date() }
            checksum &+= Int(frame.pixels[frame.pixels.count / 2])
        }
        let seconds = Date().timeIntervalSince(start)
        let timed = warmup == 0 ? total - 1 : frames
        let fps = Double(timed) / seconds
        if json {
            print("{\"stage\":\"render\",\"backend\":\"\(backend.rawValue)\",\"envs\":\(envs),\"frames\":\(timed),\"width\":\(width),\"height\":\(height),\"fps\":\(String(format: "%.1f", fps)),\"samples\":\(renderer.samples),\"renderer\":\"\(device.renderer)\"}")
        } else {
            print("\(backend.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(envs).padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(timed).padding(toLength: 7, withPad: " ", startingAt: 0)) \("\(width)x\(height)".padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%6.1f", fps))  \(String(format: "%6.2f", 1000 / fps))")
        }
        _ = checksum
    }
}
