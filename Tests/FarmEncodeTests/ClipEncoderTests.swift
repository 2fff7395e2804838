import FarmCore
import FarmTestSupport
import Foundation
import Testing
@testable import FarmEncode

/// Fast settings for tests that check structure rather than quality.
private let quick = EncoderSettings(crf: 23, preset: "ultrafast", codec: .h264)

private func encode(_ frames: [RGBFrame], to path: String, rate: FrameRate = FrameRate(numerator: 60, denominator: 1),
                    settings: EncoderSettings = quick) throws -> EncodedClip {
    let encoder = try ClipEncoder(path: path, width: frames[0].width, height: frames[0].height,
                                  frameRate: rate, settings: settings)
    for frame in frames { try encoder.append(frame) }
    return try encoder.finish()
}

struct ClipShape: Sendable, CustomTestStringConvertible {
    let codec: VideoCodec
    let width: Int
    let height: Int
    let rate: FrameRate
    let frames: Int
    let expectedCodec: String
    var testDescription: String { "\(codec) \(width)x\(height) @ \(rate) × \(frames)" }
}

@Suite struct ClipEncoderTests {
    @Test(arguments: [
        ClipShape(codec: .h264, width: 320, height: 240, rate: FrameRate(numerator: 60, denominator: 1), frames: 37, expectedCodec: "h264"),
        ClipShape(codec: .h264, width: 256, height: 144, rate: FrameRate(numerator: 30000, denominator: 1001), frames: 45, expectedCodec: "h264"),
        ClipShape(codec: .h264, width: 64, height: 32, rate: FrameRate(numerator: 30, denominator: 1), frames: 1, expectedCodec: "h264"),
        ClipShape(codec: .mpeg4, width: 320, height: 240, rate: FrameRate(numerator: 60, denominator: 1), frames: 20, expectedCodec: "mpeg4"),
    ])
    func clipHasExactShapeRateAndCount(_ shape: ClipShape) throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("clip.mp4")
        let frames = (0..<shape.frames).map { TestFrames.gradient(width: shape.width, height: shape.height, shift: $0 * 3) }
        let settings = EncoderSettings(crf: 23, preset: "ultrafast", codec: shape.codec)
        let clip = try encode(frames, to: path, rate: shape.rate, settings: settings)

        #expect(clip.path == path)
        #expect(clip.frameCount == shape.frames)
        #expect(clip.codecName == (shape.codec == .h264 ? "libx264" : "mpeg4"))
        #expect(clip.byteSize == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue)
        #expect(abs(clip.duration - Double(shape.frames) / shape.rate.fps) < 1e-9)

        let stream = try ClipInspection.probe(path)
        #expect(stream.codec_name == shape.expectedCodec)
        #expect(stream.width == shape.width && stream.height == shape.height)
        #expect(stream.pix_fmt == "yuv420p")
        #expect(stream.avg_frame_rate == "\(shape.rate.numerator)/\(shape.rate.denominator)")
        #expect(stream.r_frame_rate == "\(shape.rate.numerator)/\(shape.rate.denominator)")
        #expect(stream.nb_frames == "\(shape.frames)")
        #expect(stream.nb_read_frames == "\(shape.frames)")
        #expect(stream.time_base == "1/\(shape.rate.numerator)")
        #expect(Double(stream.start_time ?? "") == 0)
        #expect(stream.color_space == "bt709")
        #expect(stream.color_range == "tv")
        #expect(try ClipInspection.decodeErrors(path) == "")
        #expect(try ClipInspection.decodeRGB(path, width: shape.width, height: shape.height).count == shape.frames)
    }

    @Test func indexIsWrittenBeforeMediaData() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("faststart.mp4")
        _ = try encode((0..<10).map { TestFrames.gradient(width: 128, height: 96, shift: $0) }, to: path)
        let boxes = try ClipInspection.topLevelBoxes(path)
        let moov = try #require(boxes.firstIndex(of: "moov"))
        let mdat = try #require(boxes.firstIndex(of: "mdat"))
        #expect(moov < mdat, "box order \(boxes)")
    }

    @Test func clipAppearsAtItsPathOnlyWhenFinished() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("atomic.mp4")
        let encoder = try ClipEncoder(path: path, width: 128, height: 96, frameRate: FrameRate(numerator: 60, denominator: 1),
                                      settings: quick)
        for index in 0..<20 { try encoder.append(TestFrames.gradient(width: 128, height: 96, shift: index)) }
        #expect(!FileManager.default.fileExists(atPath: path))
        let partials = scratch.contents
        #expect(partials.count == 1)
        #expect(partials.first?.hasPrefix(".atomic.mp4.partial-") == true)

        _ = try encoder.finish()
        #expect(scratch.contents == ["atomic.mp4"])
    }

    @Test func abandonLeavesNothingAndKeepsAnEarlierClip() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("abandoned.mp4")
        let earlier = try encode([TestFrames.solid(width: 64, height: 64, (10, 20, 30))], to: path)

        let encoder = try ClipEncoder(path: path, width: 64, height: 64, frameRate: FrameRate(numerator: 60, denominator: 1),
                                      settings: quick)
        for _ in 0..<30 { try encoder.append(TestFrames.solid(width: 64, height: 64, (200, 0, 0))) }
        encoder.abandon()
        #expect(scratch.contents == ["abandoned.mp4"])
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue == earlier.byteSize)
        #expect(throws: EncodeError.closed(path: path)) { try encoder.append(TestFrames.solid(width: 64, height: 64, (0, 0, 0))) }
        #expect(throws: EncodeError.closed(path: path)) { _ = try encoder.finish() }
    }

    @Test func droppingAnUnfinishedEncoderLeavesNothing() throws {
        let scratch = try ScratchDirectory()
        do {
            let encoder = try ClipEncoder(path: scratch.file("dropped.mp4"), width: 64, height: 64,
                                          frameRate: FrameRate(numerator: 60, denominator: 1), settings: quick)
            try encoder.append(TestFrames.solid(width: 64, height: 64, (1, 2, 3)))
        }
        #expect(scratch.contents.isEmpty)
    }

    @Test(arguments: [
        (UInt8(220), UInt8(40), UInt8(40)), (40, 200, 60), (30, 60, 210), (128, 128, 128), (250, 250, 250), (12, 12, 12),
    ])
    func solidColoursSurviveTheRoundTrip(_ colour: (UInt8, UInt8, UInt8)) throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("solid.mp4")
        _ = try encode(Array(repeating: TestFrames.solid(width: 128, height: 96, colour), count: 5), to: path,
                       settings: EncoderSettings())
        let decoded = try ClipInspection.decodeRGB(path, width: 128, height: 96)
        #expect(decoded.count == 5)
        for frame in decoded {
            let average = TestFrames.average(frame)
            #expect(abs(average.r - Double(colour.0)) < 3, "red \(average.r) for \(colour)")
            #expect(abs(average.g - Double(colour.1)) < 3, "green \(average.g) for \(colour)")
            #expect(abs(average.b - Double(colour.2)) < 3, "blue \(average.b) for \(colour)")
        }
    }

    @Test func gradientKeepsItsOrientation() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("gradient.mp4")
        let (width, height) = (160, 120)
        _ = try encode(Array(repeating: TestFrames.gradient(width: width, height: height), count: 3), to: path,
                       settings: EncoderSettings())
        let frame = try #require(try ClipInspection.decodeRGB(path, width: width, height: height).last)
        func region(_ x0: Int, _ y0: Int) -> (r: Double, g: Double, b: Double) {
            var pixels: [UInt8] = []
            for y in y0..<y0 + 10 { for x in x0..<x0 + 10 { let i = (y * width + x) * 3; pixels += frame[i..<i + 3] } }
            return TestFrames.average(pixels)
        }
        let topLeft = region(5, 5), bottomRight = region(width - 15, height - 15)
        #expect(topLeft.r < 30 && topLeft.b < 30, "top left \(topLeft)")
        #expect(bottomRight.r > 225 && bottomRight.b > 225, "bottom right \(bottomRight)")
        #expect(abs(topLeft.g - 128) < 4 && abs(bottomRight.g - 128) < 4)
    }

    @Test(arguments: [(321, 240), (320, 241), (1, 1)])
    func oddSizesAreRefusedBeforeAnythingIsWritten(_ size: (Int, Int)) throws {
        let scratch = try ScratchDirectory()
        #expect(throws: EncodeError.oddSize(width: size.0, height: size.1)) {
            _ = try ClipEncoder(path: scratch.file("odd.mp4"), width: size.0, height: size.1,
                                frameRate: FrameRate(numerator: 60, denominator: 1), settings: quick)
        }
        #expect(scratch.contents.isEmpty)
    }

    @Test(arguments: [
        (EncoderSettings(crf: 52, preset: "medium"), "crf 52 is outside 0…51"),
        (EncoderSettings(crf: 23, preset: "turbo"), "preset \"turbo\""),
        (EncoderSettings(crf: 23, preset: "medium", tune: "cartoon"), "tune \"cartoon\""),
        (EncoderSettings(crf: 23, preset: "medium", threads: -1), "threads -1 is negative"),
    ])
    func invalidSettingsAreRefused(_ settings: EncoderSettings, _ mention: String) throws {
        let scratch = try ScratchDirectory()
        do {
            _ = try ClipEncoder(path: scratch.file("bad.mp4"), width: 64, height: 64,
                                frameRate: FrameRate(numerator: 60, denominator: 1), settings: settings)
            Issue.record("settings \(settings) were accepted")
        } catch {
            #expect(error.description.contains(mention), "\(error)")
        }
        #expect(scratch.contents.isEmpty)
    }

    @Test func aFrameOfTheWrongSizeIsRefusedAndTheClipGoesOn() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("mixed.mp4")
        let encoder = try ClipEncoder(path: path, width: 64, height: 48, frameRate: FrameRate(numerator: 60, denominator: 1),
                                      settings: quick)
        try encoder.append(TestFrames.solid(width: 64, height: 48, (9, 9, 9)))
        #expect(throws: EncodeError.frameSizeMismatch(frameIndex: 1, expected: "64x48", got: "48x64")) {
            try encoder.append(TestFrames.solid(width: 48, height: 64, (9, 9, 9)))
        }
        try encoder.append(TestFrames.solid(width: 64, height: 48, (9, 9, 9)))
        #expect(try encoder.finish().frameCount == 2)
        #expect(try ClipInspection.probe(path).nb_read_frames == "2")
    }

    /// I420 frames skip the conversion thread: exact count, bounded pool, and the colour their
    /// BT.709 limited-range samples stand for (66×50: libav pads the rows, the chroma rows are odd).
    @Test(arguments: [(UInt8(220), UInt8(40), UInt8(40)), (30, 60, 210), (128, 128, 128)])
    func i420FramesAreEncodedAsGiven(_ colour: (UInt8, UInt8, UInt8)) throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("i420.mp4")
        let encoder = try ClipEncoder(path: path, width: 66, height: 50, frameRate: FrameRate(numerator: 60, denominator: 1),
                                      settings: EncoderSettings())
        for _ in 0..<20 { try encoder.append(TestFrames.solidI420(width: 66, height: 50, colour)) }
        #expect(try encoder.finish().frameCount == 20)
        #expect(encoder.peakQueuedFrames.converted <= ClipEncoder.yuvPoolSize)
        #expect(try ClipInspection.probe(path).nb_read_frames == "20")
        for frame in try ClipInspection.decodeRGB(path, width: 66, height: 50) {
            let average = TestFrames.average(frame)
            #expect(abs(average.r - Double(colour.0)) < 3 && abs(average.g - Double(colour.1)) < 3
                    && abs(average.b - Double(colour.2)) < 3, "decoded \(average) for \(colour)")
        }
    }

    @Test func i420FramesOfTheWrongSizeOrMixedWithRGBAreRefused() throws {
        let scratch = try ScratchDirectory()
        let encoder = try ClipEncoder(path: scratch.file("mixed.mp4"), width: 64, height: 48,
                                      frameRate: FrameRate(numerator: 60, denominator: 1), settings: quick)
        try encoder.append(TestFrames.solidI420(width: 64, height: 48, (9, 9, 9)))
        #expect(throws: EncodeError.frameSizeMismatch(frameIndex: 1, expected: "64x48", got: "48x64")) {
            try encoder.append(TestFrames.solidI420(width: 48, height: 64, (9, 9, 9)))
        }
        #expect(throws: EncodeError.mixedFrameFormats(frameIndex: 1, expected: "i420", got: "rgb24")) {
            try encoder.append(TestFrames.solid(width: 64, height: 48, (9, 9, 9)))
        }
        #expect(try encoder.finish().frameCount == 1)
    }

    @Test func aMissingDirectoryIsReportedWithThePath() throws {
        let path = "/nonexistent-farm-dir/clip.mp4"
        do {
            _ = try ClipEncoder(path: path, width: 64, height: 64, frameRate: FrameRate(numerator: 60, denominator: 1),
                                settings: quick)
            Issue.record("opened a clip in a missing directory")
        } catch {
            #expect(error.description.contains("/nonexistent-farm-dir/.clip.mp4.partial-"), "\(error)")
            #expect(error.description.contains("No such file or directory"), "\(error)")
        }
    }

    @Test func aClipWithNoFramesIsRefusedAndRemoved() throws {
        let scratch = try ScratchDirectory()
        let encoder = try ClipEncoder(path: scratch.file("empty.mp4"), width: 64, height: 64,
                                      frameRate: FrameRate(numerator: 60, denominator: 1), settings: quick)
        #expect(throws: EncodeError.noFrames(path: scratch.file("empty.mp4"))) { _ = try encoder.finish() }
        #expect(scratch.contents.isEmpty)
    }

    /// The faststart pass reopens the temporary file to move the index forward; with that file gone
    /// the encoding thread fails, and finish reports it and leaves nothing at the clip's path.
    @Test func aFailureOnTheEncodingThreadSurfacesOnFinish() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("lost.mp4")
        let encoder = try ClipEncoder(path: path, width: 64, height: 64, frameRate: FrameRate(numerator: 60, denominator: 1),
                                      settings: quick)
        for _ in 0..<10 { try encoder.append(TestFrames.solid(width: 64, height: 64, (50, 60, 70))) }
        let partial = try #require(scratch.contents.first)
        try FileManager.default.removeItem(atPath: scratch.file(partial))
        do {
            _ = try encoder.finish()
            Issue.record("finish succeeded without its file")
        } catch {
            guard case .libav(let call, let failedPath, _, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(call == "av_write_trailer")
            #expect(failedPath == scratch.file(partial))
        }
        #expect(scratch.contents.isEmpty)
        #expect(throws: EncodeError.closed(path: path)) { try encoder.append(TestFrames.solid(width: 64, height: 64, (0, 0, 0))) }
    }

    @Test func longClipKeepsItsQueuesBoundedAndReusesBuffers() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.file("long.mp4")
        let (width, height, count) = (320, 240, 600)
        let encoder = try ClipEncoder(path: path, width: width, height: height,
                                      frameRate: FrameRate(numerator: 60, denominator: 1), settings: quick)
        let frames = (0..<8).map { TestFrames.gradient(width: width, height: height, shift: $0 * 17) }
        for index in 0..<count { try encoder.append(frames[index % frames.count]) }
        let peak = encoder.peakQueuedFrames
        let clip = try encoder.finish()
        #expect(peak.input <= ClipEncoder.inputCapacity)
        #expect(peak.converted <= ClipEncoder.yuvPoolSize)
        #expect(clip.frameCount == count)
        let stream = try ClipInspection.probe(path)
        #expect(stream.nb_frames == "\(count)" && stream.nb_read_frames == "\(count)")
    }
}
