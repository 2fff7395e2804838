import FarmHarness
import FarmTestSupport
import Foundation
import Testing

/// `farm-worker render`: one clip from a rollout file by hand, in each output, following the rollout
/// viewer's origin when the rollout names it.
@Suite(.serialized) struct RenderCommandTests {
    let bin = FarmProcesses.binDirectory

    private func cartpole(in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("cartpole.rlt").path
        let made = try ProcessOutput.run(bin.appendingPathComponent("farmctl"),
                                         ["rollout", "--builtin", "cartpole", "--steps", "6", "--num_envs", "4",
                                          "--out", path])
        try #require(made.status == 0, "\(made.stderr)")
        return path
    }

    @Test(arguments: ["rgb", "depth", "normals", "segmentation"])
    func rendersEachOutputToAnMP4(output: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let clip = directory.appendingPathComponent("\(output).mp4").path
        let result = try ProcessOutput.run(bin.appendingPathComponent("farm-worker"),
                                           ["render", "--rollout", try cartpole(in: directory), "--out", clip,
                                            "--backend", "kit", "--output", output, "--width", "64", "--height", "48"])
        #expect(result.status == 0, "\(result.stderr)")
        let probe = try ClipInspection.probe(clip)
        #expect(probe.width == 64 && probe.height == 48 && probe.nb_read_frames == "6")
    }

    @Test func refusesADepthRangeOnAnotherOutput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ProcessOutput.run(bin.appendingPathComponent("farm-worker"),
                                           ["render", "--rollout", try cartpole(in: directory),
                                            "--out", directory.appendingPathComponent("x.mp4").path,
                                            "--backend", "newton_gl", "--output", "normals", "--depth-colormap-max", "5"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("depth"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("x.mp4").path))
    }
}
