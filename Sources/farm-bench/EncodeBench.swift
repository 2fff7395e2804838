import ArgumentParser
import FarmCore
import FarmEncode
import FarmRender
import FarmSim
import Foundation

/// `farm-bench encode`: RGB frames in → MP4 on disk, our encoder against the ffmpeg command line with
/// the same settings and against moviepy's `ImageSequenceClip.write_videofile` (the writer of
/// gymnasium's RecordVideo and Isaac Lab), on the same 1280×720 frames (synthetic, or the Cartpole
/// scene rendered beforehand by a capture backend), with sizes and quality (PSNR, SSIM against the
/// source frames) so that speed is compared at comparable quality. Rendering is not timed here.
struct EncodeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode throughput: ours vs the ffmpeg CLI (same settings) vs moviepy.")

    @Option(help: "Frame width.") var width = 1280
    @Option(help: "Frame height.") var height = 720
    @Option(help: "Frames per clip.") var frames = 300
    @Option(help: "Clip frame rate, as 1/step_dt.") var fps = 60
    @Option(help: "Runs per case; the fastest counts.") var repeats = 1
    @Option(help: "libx264 preset of the first pair of cases (default: EncoderSettings' default).") var preset: String?
    @Option(help: "CRF of the first pair of cases (default: EncoderSettings' default).") var crf: Int?
    @Option(help: "Frames to encode: synthetic (gradients and moving shapes), or the Cartpole scene rendered by a capture backend (newton_gl, kit).")
    var scene = "synthetic"
    @Option(help: "Cartpole environments, when --scene is a backend.") var envs = 64
    @Option(help: "Encode these frames (raw rgb24, --width x --height each, e.g. dumped by the renderer) instead of the synthetic scene.")
    var rawFrames: String?
    @Option(help: "Directory for the raw frames and clips (default: a new temporary one, removed afterwards).")
    var workDir: String?
    @Option(help: "Python with moviepy, for the moviepy case.") var python = "python3"
    @Option(help: "The moviepy writer script.") var moviepyScript = "tools/moviepy_encode.py"
    @Flag(help: "Skip the moviepy case.") var noMoviepy = false
    @Flag(help: "Print only the table's rows (tools/bench prints one header for all stages).") var rowsOnly = false

    struct Case {
        let name: String
        let settings: EncoderSettings
        let run: (String) throws -> Timing
    }

    struct Result {
        let name: String
        let settings: EncoderSettings
        let fps: Double
        /// Frames per CPU-second: what one core does, whatever the load around.
        let cpuFPS: Double
        let framesWritten: Int
        let bytes: Int
        let psnr: Double
        let ssim: Double
    }

    func run() throws {
        let fileManager = FileManager.default
        let directory = workDir ?? fileManager.temporaryDirectory.appendingPathComponent("farm-bench-encode-\(getpid())").path
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if workDir == nil { try? fileManager.removeItem(atPath: directory) } }

        let rawPath = "\(directory)/frames.rgb"
        let clipFrames = try rawFrames.map(loadFrames) ?? sceneFrames()
        let frames = clipFrames.count
        guard fileManager.createFile(atPath: rawPath, contents: nil) else {
            throw ExternalTools.Failure(description: "cannot create \(rawPath)")
        }
        let raw = try FileHandle(forWritingTo: URL(fileURLWithPath: rawPath))
        for frame in clipFrames { try raw.write(contentsOf: frame.pixels) }
        try raw.close()

        let rate = FrameRate(numerator: fps, denominator: 1)
        let ours = { (settings: EncoderSettings) in
            { (path: String) throws -> Timing in
                try Timing.ofThisProcess {
                    let encoder = try ClipEncoder(path: path, width: width, height: height, frameRate: rate, settings: settings)
                    for frame in clipFrames { try encoder.append(frame) }
                    _ = try encoder.finish()
                }
            }
        }
        let ffmpeg = { (settings: EncoderSettings) in
            { (path: String) throws -> Timing in
                try Timing.ofChildren {
                    try ExternalTools.run([
                        "ffmpeg", "-nostdin", "-y", "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
                        "-s", "\(width)x\(height)", "-framerate", "\(fps)", "-i", rawPath,
                        // The same conversion and tags as ours: BT.709, limited range.
                        "-vf", "scale=out_color_matrix=bt709:out_range=tv",
                        "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709",
                        "-c:v", "libx264", "-preset", settings.preset, "-crf", "\(settings.crf)",
                        "-pix_fmt", "yuv420p", "-movflags", "+faststart", path,
                    ])
                }
            }
        }
        // The script loads the frames first, as the recorders hold them in memory, and reports the
        // wall and CPU seconds (its own and its ffmpeg child's) of the write alone.
        let moviepy = { (path: String) throws -> Timing in
            let output = try ExternalTools.run([python, moviepyScript, rawPath, "\(width)", "\(height)", "\(fps)", path]).stdout
            let numbers = output.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
            guard numbers.count == 2 else {
                throw ExternalTools.Failure(description: "\(moviepyScript) printed no timing: \(output)")
            }
            return Timing(wall: numbers[0], cpu: numbers[1])
        }

        var defaults = EncoderSettings()
        if let preset { defaults.preset = preset }
        if let crf { defaults.crf = crf }
        let reference = EncoderSettings.moviepyEquivalent
        var cases = [
            Case(name: "ours", settings: defaults, run: ours(defaults)),
            Case(name: "ffmpeg CLI", settings: defaults, run: ffmpeg(defaults)),
            Case(name: "ours", settings: reference, run: ours(reference)),
            Case(name: "ffmpeg CLI", settings: reference, run: ffmpeg(reference)),
        ]
        if !noMoviepy {
            cases.append(Case(name: "moviepy write_videofile", settings: reference, run: moviepy))
        }

        // Rounds run every case once in turn, so a burst of load elsewhere hits all cases alike.
        var timings = Array(repeating: Timing.unmeasured, count: cases.count)
        for _ in 0..<max(1, repeats) {
            for (index, benchCase) in cases.enumerated() {
                timings[index] = timings[index].fastest(try benchCase.run("\(directory)/case\(index).mp4"))
            }
        }
        var results: [Result] = []
        for (index, benchCase) in cases.enumerated() {
            let path = "\(directory)/case\(index).mp4"
            let bytes = (try fileManager.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            let quality = try ExternalTools.quality(clip: path, rawFrames: rawPath, width: width, height: height, fps: "\(fps)")
            results.append(Result(name: benchCase.name, settings: benchCase.settings,
                                  fps: Double(frames) / timings[index].wall, cpuFPS: Double(frames) / timings[index].cpu,
                                  framesWritten: try ExternalTools.frameCount(clip: path), bytes: bytes,
                                  psnr: quality.psnr, ssim: quality.ssim))
        }
        printTable(results, frames: frames)
    }

    private func sceneFrames() throws -> [RGBFrame] {
        if scene == "synthetic" {
            return (0..<frames).map(SyntheticScene(width: width, height: height).frame)
        }
        guard let backend = VideoBackend(rawValue: scene) else {
            throw ValidationError("unknown --scene \(scene); expected synthetic, newton_gl or kit")
        }
        let rollout = try CartpoleRollout(.init(steps: frames, numEnvs: envs)).rollout()
        let header = rollout.header
        let poses = try rollout.bodyPoses(steps: 0..<frames)
        let camera = CameraView(eye: header.viewer!.eye, lookat: header.viewer!.lookat)
        let renderer = try ClipRenderer(device: try RenderDevice(), backend: backend, header: header, meshes: [],
                                        width: width, height: height)
        var rendered: [RGBFrame] = []
        try renderer.renderFrames(poses, cameras: Array(repeating: camera, count: frames)) { _, frame in
            rendered.append(frame)
        }
        return rendered
    }

    private var source: String {
        if let rawFrames { return URL(fileURLWithPath: rawFrames).lastPathComponent }
        return scene == "synthetic" ? scene : "Cartpole \(scene) \(envs) envs"
    }

    /// Up to `--frames` frames from a raw rgb24 file.
    private func loadFrames(_ path: String) throws -> [RGBFrame] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let frameBytes = width * height * 3
        let count = min(frames, data.count / frameBytes)
        guard count > 0 else {
            throw ExternalTools.Failure(description: "\(path) holds no whole \(width)x\(height) rgb24 frame")
        }
        return (0..<count).map { index in
            RGBFrame(width: width, height: height, pixels: [UInt8](data[index * frameBytes..<(index + 1) * frameBytes]))
        }
    }

    private func printTable(_ results: [Result], frames: Int) {
        func label(_ settings: EncoderSettings) -> String { "\(settings.preset) crf \(settings.crf)" }
        func find(_ name: String, _ settings: EncoderSettings) -> Result? {
            results.first { $0.name == name && $0.settings == settings }
        }
        let moviepy = find("moviepy write_videofile", .moviepyEquivalent)
        if !rowsOnly {
            print(BenchTable.header)
        }
        for result in results {
            var ratios: [String] = []
            func ratio(to baseline: Result, _ name: String) -> String {
                String(format: "%.2f× ", result.fps / baseline.fps) + name
                    + String(format: " (CPU %.2f×)", result.cpuFPS / baseline.cpuFPS)
            }
            if result.name == "ours", let cli = find("ffmpeg CLI", result.settings) {
                ratios.append(ratio(to: cli, "ffmpeg CLI"))
            }
            if result.name == "ours", let moviepy {
                ratios.append(ratio(to: moviepy, "moviepy"))
            }
            let row = [
                "encode \(width)x\(height) \(source)", "\(result.name) (\(label(result.settings)))",
                "\(result.framesWritten)/\(frames)", String(format: "%.1f", result.fps),
                String(format: "%.1f", result.cpuFPS),
                ratios.isEmpty ? "—" : ratios.joined(separator: ", "),
                String(format: "%.2f", Double(result.bytes) / 1e6), String(format: "%.2f", result.psnr),
                String(format: "%.4f", result.ssim),
            ]
            print(BenchTable.row(row))
        }
    }
}
