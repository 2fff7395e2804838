import ArgumentParser
import FarmCore
import FarmEncode
import FarmRender
import FarmSim
import Foundation

/// `farm-bench sweep`: libx264 presets × CRF × tunes judged per byte. On rendered Cartpole frames of
/// each look, every setting is encoded by our encoder and compared, in the same run, with moviepy's
/// `write_videofile` (libx264 medium CRF 23, what gymnasium's RecordVideo and Isaac Lab write) on the
/// same frames: bytes, SSIM against the source frames and CPU per frame. A row "meets" the target
/// when its SSIM is at least moviepy's, its bytes at most moviepy's and its CPU per frame at most
/// half of moviepy's; the last rows name, per scene, the cheapest setting that meets it, or else
/// the cheapest at moviepy's SSIM and bytes and the cheapest at moviepy's SSIM within 1.5× its bytes.
struct SweepBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "libx264 presets, CRF and tunes against moviepy's writer: bytes, SSIM, CPU per frame.")

    @Option(help: "Capture backends whose Cartpole frames are swept (comma-separated: kit, newton_gl).")
    var backend = "kit,newton_gl"
    @Option(help: "Cartpole environments.") var envs = 64
    @Option(help: "Frames per clip.") var frames = 150
    @Option(help: "libx264 presets (comma-separated).") var presets = "superfast,veryfast,faster,fast,medium"
    @Option(help: "CRF values (comma-separated).") var crfs = "21,23,25"
    @Option(help: "Tunes (comma-separated; none = no tune).") var tunes = "none,animation,stillimage"
    @Option(help: "Encodes per setting; the least CPU counts.") var repeats = 1
    @Option var width = 1280
    @Option var height = 720
    @Option(help: "Python with moviepy.") var python = "python3"
    @Option(help: "The moviepy writer script.") var moviepyScript = "tools/moviepy_encode.py"
    @Option(help: "Write every figure as JSON to this file.") var json: String?
    @Flag(help: "Print only the table's rows.") var rowsOnly = false

    struct Outcome: Encodable {
        var scene: String
        var setting: String
        var bytes: Int
        var ssim: Double
        var psnr: Double
        var cpuMillisecondsPerFrame: Double

        enum CodingKeys: String, CodingKey {
            case scene, setting, bytes, ssim, psnr
            case cpuMillisecondsPerFrame = "cpu_ms_per_frame"
        }
    }

    func run() throws {
        let settings = try grid()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("farm-bench-sweep-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if !rowsOnly { print(BenchTable.header) }
        let device = try RenderDevice()
        let rollout = try CartpoleRollout(.init(steps: frames, numEnvs: envs)).rollout()
        var outcomes: [Outcome] = []
        for name in backend.split(separator: ",") {
            guard let kind = VideoBackend(rawValue: String(name)) else {
                throw ValidationError("unknown backend \(name); expected kit or newton_gl")
            }
            let scene = "Cartpole \(kind.rawValue) \(envs) envs"
            let source = try render(kind, rollout: rollout, device: device)
            let raw = "\(directory)/frames.rgb"
            try Data(source.flatMap(\.pixels)).write(to: URL(fileURLWithPath: raw))

            let moviepy = try measureMoviepy(raw: raw, clip: "\(directory)/moviepy.mp4", scene: scene)
            var rows: [Outcome] = []
            for setting in settings {
                let clip = "\(directory)/sweep.mp4"
                var cpu = Double.infinity
                for _ in 0..<max(1, repeats) {
                    cpu = min(cpu, try Timing.ofThisProcess {
                        let encoder = try ClipEncoder(path: clip, width: width, height: height,
                                                      frameRate: FrameRate(numerator: 60, denominator: 1), settings: setting)
                        for frame in source { try encoder.append(frame) }
                        _ = try encoder.finish()
                    }.cpu)
                }
                rows.append(try outcome(scene: scene, setting: Self.label(setting), clip: clip, raw: raw, cpu: cpu))
            }
            for row in [moviepy] + rows { print(tableRow(row, moviepy: moviepy)) }
            for verdict in verdicts(rows, moviepy: moviepy) { print(verdict) }
            outcomes += [moviepy] + rows
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(outcomes).write(to: URL(fileURLWithPath: json))
        }
    }

    static func label(_ setting: EncoderSettings) -> String {
        "\(setting.preset) crf \(setting.crf)" + (setting.tune.map { " tune \($0)" } ?? "")
    }

    private func grid() throws -> [EncoderSettings] {
        let crfValues = try crfs.split(separator: ",").map {
            guard let value = Int($0) else { throw ValidationError("--crfs: bad CRF \($0)") }
            return value
        }
        var grid: [EncoderSettings] = []
        for preset in presets.split(separator: ",").map(String.init) {
            for crf in crfValues {
                for tune in tunes.split(separator: ",").map(String.init) {
                    let setting = EncoderSettings(crf: crf, preset: preset, tune: tune == "none" ? nil : tune)
                    do { try setting.validate() } catch { throw ValidationError("\(error)") }
                    grid.append(setting)
                }
            }
        }
        return grid
    }

    private func render(_ backend: VideoBackend, rollout: InMemoryRollout, device: RenderDevice) throws -> [RGBFrame] {
        let header = rollout.header
        let camera = CameraView(eye: header.viewer!.eye, lookat: header.viewer!.lookat)
        let renderer = try ClipRenderer(device: device, backend: backend, header: header, meshes: [], width: width, height: height)
        var frames: [RGBFrame] = []
        try renderer.renderFrames(try rollout.bodyPoses(steps: header.stepRange),
                                  cameras: Array(repeating: camera, count: header.steps)) { _, frame in frames.append(frame) }
        return frames
    }

    private func measureMoviepy(raw: String, clip: String, scene: String) throws -> Outcome {
        let output = try ExternalTools.run([python, moviepyScript, raw, "\(width)", "\(height)", "60", clip]).stdout
        let numbers = output.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        guard numbers.count == 2 else { throw ExternalTools.Failure(description: "\(moviepyScript) printed no timing: \(output)") }
        return try outcome(scene: scene, setting: "moviepy write_videofile (medium crf 23)", clip: clip, raw: raw, cpu: numbers[1])
    }

    private func outcome(scene: String, setting: String, clip: String, raw: String, cpu: Double) throws -> Outcome {
        let bytes = (try FileManager.default.attributesOfItem(atPath: clip)[.size] as? NSNumber)?.intValue ?? 0
        let quality = try ExternalTools.quality(clip: clip, rawFrames: raw, width: width, height: height, fps: "60")
        return Outcome(scene: scene, setting: setting, bytes: bytes, ssim: quality.ssim, psnr: quality.psnr,
                       cpuMillisecondsPerFrame: cpu / Double(frames) * 1e3)
    }

    private func meets(_ row: Outcome, _ moviepy: Outcome, bytes limit: Double = 1, cpu: Double = 0.5) -> Bool {
        row.ssim >= moviepy.ssim && Double(row.bytes) <= limit * Double(moviepy.bytes)
            && row.cpuMillisecondsPerFrame <= cpu * moviepy.cpuMillisecondsPerFrame
    }

    private func tableRow(_ row: Outcome, moviepy: Outcome) -> String {
        let isReference = row.setting == moviepy.setting
        let ratio = isReference ? "reference" : String(
            format: "bytes %.2f×, CPU %.2f×, SSIM %+.4f vs moviepy%@", Double(row.bytes) / Double(moviepy.bytes),
            row.cpuMillisecondsPerFrame / moviepy.cpuMillisecondsPerFrame, row.ssim - moviepy.ssim,
            meets(row, moviepy) ? " — meets the target" : "")
        return BenchTable.row([
            "sweep \(width)x\(height) \(row.scene)", row.setting, "\(frames)", "—",
            String(format: "%.1f (%.2f ms CPU/frame)", 1e3 / row.cpuMillisecondsPerFrame, row.cpuMillisecondsPerFrame),
            ratio, String(format: "%.3f", Double(row.bytes) / 1e6), String(format: "%.2f", row.psnr),
            String(format: "%.4f", row.ssim),
        ])
    }

    /// The cheapest setting that meets the target, else the best trade-offs.
    private func verdicts(_ rows: [Outcome], moviepy: Outcome) -> [String] {
        func cheapest(_ ok: (Outcome) -> Bool) -> Outcome? {
            rows.filter(ok).min { $0.cpuMillisecondsPerFrame < $1.cpuMillisecondsPerFrame }
        }
        func line(_ title: String, _ row: Outcome?) -> String {
            guard let row else { return BenchTable.row(["sweep verdict \(moviepy.scene)", title, "—", "—", "—", "none", "—", "—", "—"]) }
            return BenchTable.row([
                "sweep verdict \(moviepy.scene)", title + ": " + row.setting, "\(frames)", "—",
                String(format: "%.1f", 1e3 / row.cpuMillisecondsPerFrame),
                String(format: "bytes %.2f×, CPU %.2f×, SSIM %+.4f vs moviepy", Double(row.bytes) / Double(moviepy.bytes),
                       row.cpuMillisecondsPerFrame / moviepy.cpuMillisecondsPerFrame, row.ssim - moviepy.ssim),
                String(format: "%.3f", Double(row.bytes) / 1e6), String(format: "%.2f", row.psnr), String(format: "%.4f", row.ssim),
            ])
        }
        return [
            line("cheapest meeting SSIM ≥ moviepy, bytes ≤ moviepy, CPU ≤ 0.5× moviepy", cheapest { meets($0, moviepy) }),
            line("cheapest at SSIM ≥ moviepy, bytes ≤ moviepy", cheapest { meets($0, moviepy, cpu: .infinity) }),
            line("cheapest at SSIM ≥ moviepy, bytes ≤ 1.5× moviepy", cheapest { meets($0, moviepy, bytes: 1.5, cpu: .infinity) }),
        ]
    }
}
