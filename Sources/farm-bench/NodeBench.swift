import ArgumentParser
import FarmCore
import FarmEncode
import FarmPipeline
import FarmRender
import FarmSim
import Foundation
import Synchronization

/// `farm-bench node`: what one render node does, for tools/gpu-check. On the device the worker
/// would pick: render + readback fps of Cartpole (each env count) and the humanoid scene with 1
/// and 4 samples per pixel and with the GPU-side I420 conversion; encode-only and whole-pipeline
/// fps of one clip; and pipeline fps with several clips at once, one render thread (own GL
/// context) per clip and each encoder's libx264 threads sized to cores / clips, as several
/// workers per GPU would run them. Prints the shared table's rows and writes every figure as JSON.
struct NodeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Render, encode and concurrent-clip pipeline fps of this node's render device (tools/gpu-check).")

    @Option(help: "Capture backend.") var backend = "kit"
    @Option(help: "Cartpole environment counts (comma-separated).") var envs = "64,4096"
    @Option(help: "Humanoid environments (0 skips the humanoid scene).") var humanoidEnvs = 64
    @Option(help: "Samples per pixel to render with (comma-separated).") var samples = "1,4"
    @Option(help: "Frames per render case and per clip.") var frames = 300
    @Option(help: "Concurrent clip counts of the pipeline stage (comma-separated).") var clips = "1,2,4,8"
    @Option(help: "Runs per render/encode case; the fastest counts.") var repeats = 1
    @Option var width = 1280
    @Option var height = 720
    @Option(help: "Write every figure as JSON to this file.") var json: String?
    @Flag(help: "Print only the table's rows.") var rowsOnly = false

    /// One measured case, as the JSON lists it.
    struct Figure: Encodable {
        var stage: String
        var scene: String
        var detail: String
        var frames: Int
        var fps: Double
        var cpuFramesPerSecond: Double
        var cpuMillisecondsPerFrame: Double

        enum CodingKeys: String, CodingKey {
            case stage, scene, detail, frames, fps
            case cpuFramesPerSecond = "fps_per_cpu_s", cpuMillisecondsPerFrame = "cpu_ms_per_frame"
        }
    }

    struct Report: Encodable {
        var glVendor: String
        var glRenderer: String
        var glVersion: String
        var cores: Int
        var width: Int
        var height: Int
        var encoder: String
        var figures: [Figure]

        enum CodingKeys: String, CodingKey {
            case cores, width, height, encoder, figures
            case glVendor = "gl_vendor", glRenderer = "gl_renderer", glVersion = "gl_version"
        }
    }

    func run() throws {
        guard let kind = VideoBackend(rawValue: backend) else { throw ValidationError("unknown --backend \(backend)") }
        let envCounts = try Self.counts(envs, "--envs")
        let sampleCounts = try Self.counts(samples, "--samples")
        let clipCounts = try Self.counts(clips, "--clips")
        guard frames > 0, repeats > 0 else { throw ValidationError("--frames and --repeats must be positive") }
        let device = try RenderDevice()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var report = Report(glVendor: device.vendor, glRenderer: device.renderer, glVersion: device.glVersion,
                            cores: cores, width: width, height: height,
                            encoder: "libx264 \(EncoderSettings().preset) CRF \(EncoderSettings().crf)", figures: [])
        if !rowsOnly {
            print("# node: \(cores) cores, GL \(device.vendor) / \(device.renderer)")
            print(BenchTable.header)
        }
        func record(_ figure: Figure) {
            report.figures.append(figure)
            print(BenchTable.row([figure.stage, "\(figure.scene), \(figure.detail)", "\(figure.frames)",
                                  String(format: "%.1f", figure.fps), String(format: "%.1f", figure.cpuFramesPerSecond),
                                  String(format: "%.2f ms CPU/frame", figure.cpuMillisecondsPerFrame), "—", "—", "—"]))
        }
        func figure(_ stage: String, _ scene: String, _ detail: String, frames: Int, _ timing: Timing) -> Figure {
            Figure(stage: stage, scene: scene, detail: detail, frames: frames, fps: Double(frames) / timing.wall,
                   cpuFramesPerSecond: Double(frames) / timing.cpu, cpuMillisecondsPerFrame: timing.cpu / Double(frames) * 1e3)
        }

        var scenes: [(name: String, rollout: InMemoryRollout)] = try envCounts.map {
            ("Cartpole \($0) envs", try CartpoleRollout(.init(steps: frames, numEnvs: $0)).rollout())
        }
        if humanoidEnvs > 0 {
            scenes.append(("humanoid \(humanoidEnvs) envs", try HumanoidScene(numEnvs: humanoidEnvs, steps: frames).rollout()))
        }

        // Render + readback: RGB at each sample count, then I420 converted on the GPU.
        var keptFrames: [RGBFrame] = []
        for (name, rollout) in scenes {
            let poses = try rollout.bodyPoses(steps: rollout.header.stepRange)
            let camera = CameraView(eye: rollout.header.viewer!.eye, lookat: rollout.header.viewer!.lookat)
            let cameras = Array(repeating: camera, count: frames)
            for sampleCount in sampleCounts {
                let renderer = try ClipRenderer(device: device, backend: kind, header: rollout.header, meshes: [],
                                                width: width, height: height, samples: sampleCount)
                try warm(renderer, poses, camera)
                let keep = keptFrames.isEmpty
                let timing = try best {
                    var delivered: [RGBFrame] = []
                    let timing = try Timing.ofThisProcess {
                        try renderer.renderFrames(poses, cameras: cameras) { _, frame in if keep { delivered.append(frame) } }
                    }
                    if keep { keptFrames = delivered }
                    return timing
                }
                record(figure("render+readback RGB", name, "\(backend), \(renderer.samples)× samples", frames: frames, timing))
            }
            let renderer = try ClipRenderer(device: device, backend: kind, header: rollout.header, meshes: [],
                                            width: width, height: height)
            try warm(renderer, poses, camera)
            let timing = try best {
                try Timing.ofThisProcess { try renderer.renderFramesYUV(poses, cameras: cameras) { _, _ in } }
            }
            record(figure("render+readback I420 (GPU conversion)", name, "\(backend), \(renderer.samples)× samples",
                          frames: frames, timing))
        }

        // Encode only: the first scene's frames, with the default settings and libx264's own threads.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("farm-bench-node-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rate = FrameRate(numerator: 60, denominator: 1)
        let encodeTiming = try best {
            try Timing.ofThisProcess {
                let encoder = try ClipEncoder(path: directory.appendingPathComponent("encode.mp4").path, width: width,
                                              height: height, frameRate: rate, settings: EncoderSettings())
                for frame in keptFrames { try encoder.append(frame) }
                _ = try encoder.finish()
            }
        }
        keptFrames = []
        record(figure("encode only", scenes[0].name, report.encoder + ", threads auto", frames: frames, encodeTiming))

        // Whole pipeline, one clip and then several at once, each on its own render thread and device.
        let clipRollout = scenes[0].rollout
        for count in clipCounts {
            let threads = max(1, cores / count)
            let timing = try Self.concurrentClips(count, rollout: clipRollout, backend: kind, width: width, height: height,
                                                  threads: threads, directory: directory.path)
            record(figure("pipeline, \(count) clip\(count == 1 ? "" : "s") at once", scenes[0].name,
                          "\(backend), libx264 threads \(threads) per clip", frames: frames * count, timing))
        }

        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
    }

    private func best(_ run: () throws -> Timing) rethrows -> Timing {
        var fastest = Timing.unmeasured
        for _ in 0..<repeats { fastest = fastest.fastest(try run()) }
        return fastest
    }

    /// Untimed first frame: shader compilation and the ground cache.
    private func warm(_ renderer: ClipRenderer, _ poses: BodyPoseRows, _ camera: CameraView) throws {
        let first = BodyPoseRows(steps: poses.steps.lowerBound..<(poses.steps.lowerBound + 1), numBodies: poses.numBodies,
                                 values: Array(poses.values.prefix(poses.numBodies * RolloutFormat.floatsPerPose)))
        try renderer.renderFrames(first, cameras: [camera]) { _, _ in }
    }

    /// `count` clips of the whole rollout at once, each produced by its own thread with its own
    /// GL context and pipeline; every thread is joined before this returns.
    static func concurrentClips(_ count: Int, rollout: InMemoryRollout, backend: VideoBackend, width: Int, height: Int,
                                threads: Int, directory: String) throws -> Timing {
        let header = rollout.header
        let camera = CameraView(eye: header.viewer!.eye, lookat: header.viewer!.lookat)
        let request = ClipRenderRequest(backend: backend, camera: camera, width: width, height: height,
                                        frameRate: try FrameRate(stepDT: header.stepDT), steps: Array(header.stepRange))
        let failures = Mutex<[String]>([])
        let done = DispatchGroup()
        let timing = Timing.ofThisProcess {
            for index in 0..<count {
                done.enter()
                Thread {
                    defer { done.leave() }
                    do {
                        let pipeline = ClipPipeline(device: try RenderDevice(), encoderSettings: EncoderSettings(threads: threads))
                        _ = try pipeline.produce(request, rollout: rollout, outputPath: "\(directory)/clip\(index).mp4")
                    } catch {
                        failures.withLock { $0.append("clip \(index): \(error)") }
                    }
                }.start()
            }
            done.wait()
        }
        let failed = failures.withLock { $0 }
        guard failed.isEmpty else { throw ExternalTools.Failure(description: failed.joined(separator: "; ")) }
        return timing
    }

    private static func counts(_ text: String, _ flag: String) throws -> [Int] {
        try text.split(separator: ",").map {
            guard let value = Int($0), value > 0 else { throw ValidationError("\(flag): bad count \($0)") }
            return value
        }
    }
}
