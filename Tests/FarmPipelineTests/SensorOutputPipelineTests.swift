import FarmCore
import FarmRender
import FarmSim
import FarmTestSupport
import Foundation
import Testing
@testable import FarmPipeline

/// Every output of a request through the whole pipeline into a real MP4, with the frames converted
/// to I420 on the GPU (forced on, as llvmpipe defaults to the CPU) or by the encoder.
@Suite(.serialized)
struct SensorOutputPipelineTests {
    let directory: URL
    let rollout: InMemoryRollout

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sensor-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        rollout = try CartpoleRollout(.init(steps: 20, numEnvs: 4, seed: 3)).rollout()
    }

    /// What the top rows (no surface: the camera looks just below the horizon) show per output.
    static let outputs: [(output: ClipOutput, background: SIMD3<UInt8>?)] = [
        (.rgb, nil),
        (.depth(range: ClipOutput.defaultDepthRange), TurboColormap.color(index: TurboColormap.count - 1)),
        (.normals, SIMD3(127, 127, 127)),
        (.segmentation, SegmentationColors.background),
    ]

    @Test(arguments: outputs.indices, [true, false])
    func everyOutputEncodesItsFrames(_ index: Int, convertsOnGPU: Bool) throws {
        let (output, background) = Self.outputs[index]
        let device = try RenderDevice()
        let pipeline = ClipPipeline(device: device)
        pipeline.convertsOnGPU = convertsOnGPU
        let request = ClipRenderRequest(backend: .newtonGL, camera: CameraView(eye: Vec3(8, 0, 1.5), lookat: Vec3(0, 0, 1)),
                                        output: output, width: 320, height: 180,
                                        frameRate: try FrameRate(stepDT: rollout.header.stepDT), steps: Array(4..<10))
        let path = directory.appendingPathComponent("\(output.kind.rawValue)-\(convertsOnGPU).mp4").path
        var sunk: [RGBFrame] = []
        let stats = try pipeline.produce(request, rollout: rollout, outputPath: path, frameSink: { sunk.append($1) })
        #expect(stats.frames == 6 && sunk.count == 6)
        let probe = try ClipInspection.probe(path)
        #expect(probe.codec_name == "h264" && probe.width == 320 && probe.height == 180 && probe.nb_read_frames == "6")
        #expect(try ClipInspection.decodeErrors(path).isEmpty)
        guard let background else { return }
        let decoded = try ClipInspection.decodeRGB(path, width: 320, height: 180)
        #expect(decoded.count == 6)
        for (k, (frame, pixels)) in zip(sunk, decoded).enumerated() {
            let rendered = frame.pixel(x: 160, y: 4)
            #expect(SIMD3(rendered.r, rendered.g, rendered.b) == background, "\(output.kind) frame \(k) rendered")
            let o = (4 * 320 + 160) * 3
            let worst = (0..<3).map { abs(Int(pixels[o + $0]) - Int(background[$0])) }.max() ?? 0
            #expect(worst <= 6, "\(output.kind) frame \(k) decoded \(pixels[o..<(o + 3)]) for \(background)")
        }
    }
}
