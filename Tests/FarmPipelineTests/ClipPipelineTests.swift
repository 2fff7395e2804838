import FarmCore
import FarmRender
import FarmSim
import FarmTestSupport
import Foundation
import Testing
@testable import FarmPipeline

/// One GL context for the suite's tests, used from one test at a time (GL contexts are per thread).
@Suite(.serialized)
struct ClipPipelineTests {
    let directory: URL
    let rollout: InMemoryRollout

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        rollout = try CartpoleRollout(.init(steps: 40, numEnvs: 4, seed: 3)).rollout()
    }

    private func request(_ backend: VideoBackend, steps: [Int]) -> ClipRenderRequest {
        ClipRenderRequest(backend: backend, camera: CameraView(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)),
                          width: 320, height: 180, frameRate: FrameRate(numerator: 60, denominator: 1), steps: steps)
    }

    /// Frames converted on the GPU (forced on, as llvmpipe defaults to the CPU) or by the encoder.
    @Test(arguments: VideoBackend.allCases, [true, false])
    func clipHasExactFramesFpsAndDecodesCleanly(backend: VideoBackend, convertsOnGPU: Bool) throws {
        let device = try RenderDevice()
        let path = directory.appendingPathComponent("\(backend).mp4").path
        var reported: [ClipProgress] = []
        let pipeline = ClipPipeline(device: device)
        pipeline.convertsOnGPU = convertsOnGPU
        let stats = try pipeline.produce(request(backend, steps: Array(5..<30)), rollout: rollout, outputPath: path,
                                         progress: { reported.append($0) })
        #expect(stats.frames == 25 && stats.path == path)
        #expect(reported.map(\.framesDone) == Array(1...25) && reported.last?.framesTotal == 25)
        let probe = try ClipInspection.probe(path)
        #expect(probe.codec_name == "h264" && probe.width == 320 && probe.height == 180 && probe.pix_fmt == "yuv420p")
        #expect(probe.avg_frame_rate == "60/1" && probe.nb_read_frames == "25")
        #expect(try ClipInspection.decodeErrors(path).isEmpty)
    }

    @Test func gpuAndCPUColourConversionDecodeAlike() throws {
        let device = try RenderDevice()
        let pipeline = ClipPipeline(device: device)
        let (gpu, cpu) = (directory.appendingPathComponent("gpu.mp4").path, directory.appendingPathComponent("cpu.mp4").path)
        pipeline.convertsOnGPU = true
        _ = try pipeline.produce(request(.newtonGL, steps: Array(0..<12)), rollout: rollout, outputPath: gpu)
        pipeline.convertsOnGPU = false
        _ = try pipeline.produce(request(.newtonGL, steps: Array(0..<12)), rollout: rollout, outputPath: cpu)
        let gpuFrames = try ClipInspection.decodeRGB(gpu, width: 320, height: 180)
        let cpuFrames = try ClipInspection.decodeRGB(cpu, width: 320, height: 180)
        #expect(gpuFrames.count == 12 && cpuFrames.count == 12)
        for (k, (a, b)) in zip(gpuFrames, cpuFrames).enumerated() {
            let meanDifference = Double(zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.count)
            #expect(meanDifference < 1.5, "frame \(k): mean |RGB difference| \(meanDifference)")
        }
    }

    @Test func aFrameSinkGetsRGBFramesEvenWithGPUConversionOn() throws {
        let device = try RenderDevice()
        let pipeline = ClipPipeline(device: device)
        pipeline.convertsOnGPU = true
        var frames: [RGBFrame] = []
        let stats = try pipeline.produce(request(.kit, steps: Array(0..<5)), rollout: rollout,
                                         outputPath: directory.appendingPathComponent("sink.mp4").path,
                                         frameSink: { frames.append($1) })
        #expect(frames.count == 5 && stats.frames == 5 && frames.allSatisfy { $0.width == 320 && $0.height == 180 })
    }

    @Test func stridedStepsRenderTheirOwnRows() throws {
        let device = try RenderDevice()
        let pipeline = ClipPipeline(device: device)
        var strided: [RGBFrame] = []
        _ = try pipeline.produce(request(.newtonGL, steps: [2, 10, 18]), rollout: rollout,
                                 outputPath: directory.appendingPathComponent("strided.mp4").path,
                                 frameSink: { strided.append($1) })
        var contiguous: [RGBFrame] = []
        _ = try pipeline.produce(request(.newtonGL, steps: Array(2...18)), rollout: rollout,
                                 outputPath: directory.appendingPathComponent("all.mp4").path,
                                 frameSink: { contiguous.append($1) })
        #expect(strided == [contiguous[0], contiguous[8], contiguous[16]])
        #expect(contiguous[0] != contiguous[16])
    }

    @Test func cancelledClipLeavesNoFile() throws {
        let device = try RenderDevice()
        let path = directory.appendingPathComponent("cancelled.mp4").path
        var frames = 0
        #expect(throws: PipelineError.cancelled) {
            try ClipPipeline(device: device).produce(request(.kit, steps: Array(0..<30)), rollout: rollout, outputPath: path,
                                                     progress: { frames = $0.framesDone }, isCancelled: { frames >= 5 })
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test func stepsOutsideTheRolloutAreRefusedBeforeRendering() throws {
        let device = try RenderDevice()
        #expect(throws: PipelineError.stepOutsideRollout(step: 40, available: 0..<40)) {
            try ClipPipeline(device: device).produce(request(.kit, steps: [38, 39, 40]), rollout: rollout,
                                                     outputPath: directory.appendingPathComponent("x.mp4").path)
        }
    }

    @Test func newtonVisualizerJobsFollowTheCameraTrack() throws {
        var header = rollout.header
        header.cameraTrack = (0..<40).map { CameraView(eye: Vec3(8 - Double($0) * 0.1, Double($0) * 0.3, 5), lookat: Vec3(0, 0, 2)) }
        let tracked = try InMemoryRollout(header: header, bodyQ: rollout.rows.values)
        let device = try RenderDevice()
        var following = request(.newtonGL, steps: [0, 39])
        following.followsCameraTrack = true
        var frames: [RGBFrame] = []
        _ = try ClipPipeline(device: device).produce(following, rollout: tracked,
                                                     outputPath: directory.appendingPathComponent("track.mp4").path,
                                                     frameSink: { frames.append($1) })
        var fixed: [RGBFrame] = []
        _ = try ClipPipeline(device: device).produce(request(.newtonGL, steps: [0, 39]), rollout: tracked,
                                                     outputPath: directory.appendingPathComponent("fixed.mp4").path,
                                                     frameSink: { fixed.append($1) })
        // The track's first camera is the fixed one moved; its last is far to the side.
        #expect(frames[1] != fixed[1])
        // Kit places its camera once, at construction: a track never moves it.
        var kitFollowing = request(.kit, steps: [0, 39])
        kitFollowing.followsCameraTrack = true
        var kitFrames: [RGBFrame] = [], kitFixed: [RGBFrame] = []
        _ = try ClipPipeline(device: device).produce(kitFollowing, rollout: tracked,
                                                     outputPath: directory.appendingPathComponent("kit-track.mp4").path,
                                                     frameSink: { kitFrames.append($1) })
        _ = try ClipPipeline(device: device).produce(request(.kit, steps: [0, 39]), rollout: tracked,
                                                     outputPath: directory.appendingPathComponent("kit-fixed.mp4").path,
                                                     frameSink: { kitFixed.append($1) })
        #expect(kitFrames == kitFixed)
    }
}
