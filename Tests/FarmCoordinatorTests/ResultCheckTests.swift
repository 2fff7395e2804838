import FarmCore
import FarmEncode
import Foundation
import Testing
@testable import FarmCoordinator

/// A RESULT is probed with libavformat before filing; anything but the clip the job asked for is
/// refused, naming what is wrong.
struct ResultCheckTests {
    static let job = JobSpec(workflow: "w", task: "t", run: "r", backend: .newtonGL, width: 64, height: 48,
                             frameRate: FrameRate(numerator: 60, denominator: 1))
    static let plan = ClipPlan(file: "rl-video-step-0.mp4", steps: Array(0..<6))

    /// A real clip from the farm's encoder.
    static func clip(width: Int = 64, height: Int = 48, frames: Int = 6, fps: Int = 60) throws -> Data {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        let path = dir.appending("clip.mp4")
        let encoder = try ClipEncoder(path: path, width: width, height: height,
                                      frameRate: FrameRate(numerator: fps, denominator: 1), settings: EncoderSettings())
        for index in 0..<frames {
            let shade = UInt8(index * 40 % 256)
            try encoder.append(RGBFrame(width: width, height: height,
                                        pixels: [UInt8](repeating: shade, count: width * height * 3)))
        }
        _ = try encoder.finish()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    static func refusal(_ data: Data) -> String? {
        ResultCheck(job: job, clip: plan).refusal(of: data, name: "RESULT 1/0 from w1")
    }

    @Test func theClipAskedForPasses() throws {
        let data = try Self.clip()
        #expect(Self.refusal(data) == nil)
        let probe = try ClipProbe.probe(data, name: "clip")
        #expect(probe.isMP4 && probe.codec == "h264" && probe.width == 64 && probe.height == 48 && probe.frames == 6)
        #expect(probe.frameRate == FrameRate(numerator: 60, denominator: 1))
    }

    @Test func textCalledMP4IsRefused() throws {
        let text = Data(String(repeating: "this is not a video, honest. ", count: 7).prefix(190).utf8)
        #expect(text.count == 190)
        let refusal = try #require(Self.refusal(text))
        #expect(refusal.contains("190 bytes that are not a readable video"), "\(refusal)")
        #expect(refusal.contains("RESULT 1/0 from w1"), "\(refusal)")
    }

    @Test(arguments: [
        (32, 32, 6, 60, "size is 32x32, expected 64x48"),
        (64, 48, 5, 60, "5 frames, expected 6"),
        (64, 48, 6, 30, "frame rate is 30 fps, expected 60 fps"),
    ] as [(Int, Int, Int, Int, String)])
    func mismatchesAreNamed(width: Int, height: Int, frames: Int, fps: Int, message: String) throws {
        let refusal = try #require(Self.refusal(try Self.clip(width: width, height: height, frames: frames, fps: fps)))
        #expect(refusal.contains(message), "\(refusal)")
    }

    @Test func emptyAndTruncatedDataAreRefused() throws {
        #expect(Self.refusal(Data()) != nil)
        let data = try Self.clip()
        #expect(Self.refusal(data.prefix(data.count / 2)) != nil)
    }
}
