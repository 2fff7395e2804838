import FarmCore
import FarmRender
import FarmSim
import FarmTestSupport
import Foundation
import Testing

/// The renderer's GPU RGB → I420 pass against swscale's conversion (ffmpeg's command line: the
/// encoder's matrix, range and bicubic chroma filter) of the very same RGB frame.
@Suite(.serialized)
struct I420ConversionTests {
    enum Scene: String, CaseIterable, CustomTestStringConvertible {
        case cartpole, sharpEdges
        var testDescription: String { rawValue }
    }

    @Test(arguments: Scene.allCases)
    func gpuConversionMatchesSwscale(_ scene: Scene) throws {
        let device = try RenderDevice()
        let (header, poses, camera, width, height) = try Self.frameInputs(scene)
        let renderer = try ClipRenderer(device: device, backend: .kit, header: header, meshes: [], width: width, height: height)
        var rgb: [RGBFrame] = []
        try renderer.renderFrames(poses, cameras: [camera]) { rgb.append($1) }
        var yuv: [YUV420Frame] = []
        try renderer.renderFramesYUV(poses, cameras: [camera]) { yuv.append($1) }
        let reference = try Self.swscaleI420(rgb[0])
        let offsets = yuv[0].planeOffsets
        for (plane, range) in [("Y", offsets.y..<offsets.u), ("U", offsets.u..<offsets.v), ("V", offsets.v..<reference.count)] {
            let worst = range.map { abs(Int(yuv[0].bytes[$0]) - Int(reference[$0])) }.max() ?? 0
            #expect(worst <= 2, "\(plane) plane differs from swscale by up to \(worst)")
        }
        // The scene must have edges for the chroma filter to matter.
        let chroma = reference[offsets.v...]
        #expect((chroma.max() ?? 0) - (chroma.min() ?? 0) > 40)
    }

    /// One frame's header, rows and camera; the sharp-edge scene is saturated boxes against the
    /// sky, at a size whose chroma planes end mid-row in the packed R8 target.
    private static func frameInputs(_ scene: Scene) throws -> (RolloutHeader, BodyPoseRows, CameraView, Int, Int) {
        switch scene {
        case .cartpole:
            let rollout = try CartpoleRollout(.init(steps: 20, numEnvs: 4, seed: 3)).rollout()
            return (rollout.header, try rollout.bodyPoses(steps: 10..<11),
                    CameraView(eye: Vec3(8, 0, 5), lookat: Vec3(0, 0, 0)), 320, 180)
        case .sharpEdges:
            let colours = [Vec3(1, 0, 0), Vec3(0, 0, 1), Vec3(1, 1, 1), Vec3(0, 1, 0), Vec3(0, 0, 0)]
            let boxes = colours.enumerated().map { i, colour in
                ShapeSpec(geometry: .box(halfExtents: Vec3(0.2, 0.2 + 0.1 * Double(i), 0.05 + 0.05 * Double(i))), body: -1,
                          transform: Pose(position: Vec3(0, Double(i - 2) * 0.55, 1.2 + 0.3 * Double(i % 2))), color: colour)
            }
            let header = RolloutHeader(stepDT: 1.0 / 60, steps: 1, numBodies: 0, numEnvs: 1, envSpacing: 4,
                                       shapes: [ShapeSpec(geometry: .plane(width: 0, length: 0), body: -1)] + boxes)
            return (header, BodyPoseRows(steps: 0..<1, numBodies: 0, values: []),
                    CameraView(eye: Vec3(5, 0, 1.4), lookat: Vec3(0, 0, 1.3)), 322, 182)
        }
    }

    /// `frame` converted by ffmpeg's swscale to yuv420p, BT.709 limited range, as `ColourConverter` does.
    static func swscaleI420(_ frame: RGBFrame) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("i420-\(UUID().uuidString).rgb")
        try Data(frame.pixels).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let output = try ClipInspection.run([
            "ffmpeg", "-nostdin", "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(frame.width)x\(frame.height)",
            "-i", input.path, "-sws_flags", "bicubic", "-vf", "scale=in_range=pc:out_range=tv:out_color_matrix=bt709",
            "-pix_fmt", "yuv420p", "-f", "rawvideo", "-",
        ]).stdout
        return [UInt8](output)
    }
}
