import Dispatch
import FarmCore
import Foundation
import Logging

/// Writes one MP4 clip from RGB frames. `append` hands each frame to a conversion thread
/// (RGB → yuv420p) and on to an encoding thread (H.264 + MP4 muxing) through bounded queues, so
/// the caller overlaps with both and memory stays flat however long the clip is: `append` blocks
/// while the queues are full, and the yuv frames are a fixed pool that is reused. Frames already
/// in I420 (converted on the GPU) are copied into a pool frame and go straight to the encoder.
///
/// The clip is written to a hidden temporary file beside `path` and renamed onto `path` only by a
/// successful `finish()`. An error on either thread is reported by the next `append` or `finish`.
public final class ClipEncoder {
    public let path: String
    public let width: Int
    public let height: Int
    public let frameRate: FrameRate
    /// "libx264", or "mpeg4" when asked for or when libx264 is missing.
    public let codecName: String

    /// RGB frames waiting for conversion.
    static let inputCapacity = 3
    /// yuv frames in flight between conversion and encoding (the reused pool).
    static let yuvPoolSize = 3

    private enum State { case open, finished, abandoned }
    private enum FrameFormat: String { case rgb24, i420 }

    private let partial: PartialFile
    private let writer: MP4Writer
    private let input = BoundedQueue<RGBFrame>(capacity: ClipEncoder.inputCapacity)
    private let converted = BoundedQueue<YUVFrame>(capacity: ClipEncoder.yuvPoolSize)
    private let recycled = BoundedQueue<YUVFrame>(capacity: ClipEncoder.yuvPoolSize)
    private let failure = FailureRecord()
    private let stages = DispatchGroup()
    private var state = State.open
    private var appended = 0
    /// The format of the first frame; the rest must match.
    private var format: FrameFormat?

    public convenience init(path: String, width: Int, height: Int, frameRate: FrameRate,
                            settings: EncoderSettings) throws(EncodeError) {
        try self.init(path: path, width: width, height: height, frameRate: frameRate, settings: settings,
                      logger: Logger(label: "farm.encode"))
    }

    public init(path: String, width: Int, height: Int, frameRate: FrameRate, settings: EncoderSettings,
                logger: Logger) throws(EncodeError) {
        guard width > 0, height > 0 else { throw .invalidSize(width: width, height: height) }
        guard width % 2 == 0, height % 2 == 0 else { throw .oddSize(width: width, height: height) }
        try settings.validate()
        self.path = path
        self.width = width
        self.height = height
        self.frameRate = frameRate
        partial = PartialFile(finalPath: path)
        do throws(EncodeError) {
            writer = try MP4Writer(path: partial.temporaryPath, width: width, height: height,
                                   frameRate: frameRate, settings: settings, logger: logger)
            let converter = try ColourConverter(width: width, height: height, path: partial.temporaryPath)
            for _ in 0..<Self.yuvPoolSize {
                recycled.push(try YUVFrame(width: width, height: height, path: partial.temporaryPath))
            }
            codecName = writer.codecName
            startStages(converter: converter)
        } catch {
            partial.discard()
            throw error
        }
    }

    deinit {
        if state == .open { abandon() }
    }

    /// Queues `frame` as the clip's next frame; blocks while the pipeline is full.
    public func append(_ frame: RGBFrame) throws(EncodeError) {
        try checkAppend(.rgb24, width: frame.width, height: frame.height)
        guard input.push(frame) else { throw failure.error ?? .closed(path: path) }
        appended += 1
    }

    /// Queues an I420 frame (BT.709 limited range, as the conversion thread would make it) as the
    /// clip's next frame, bypassing the conversion thread; blocks while the yuv pool is in use.
    public func append(_ frame: YUV420Frame) throws(EncodeError) {
        try checkAppend(.i420, width: frame.width, height: frame.height)
        guard let yuv = recycled.pop() else { throw failure.error ?? .closed(path: path) }
        do throws(EncodeError) {
            try yuv.makeWritable(path: partial.temporaryPath)
        } catch {
            recycled.push(yuv)
            throw error
        }
        yuv.copy(from: frame)
        yuv.presentationIndex = Int64(appended)
        guard converted.push(yuv) else { throw failure.error ?? .closed(path: path) }
        appended += 1
    }

    private func checkAppend(_ frameFormat: FrameFormat, width: Int, height: Int) throws(EncodeError) {
        guard state == .open else { throw .closed(path: path) }
        if let error = failure.error { throw error }
        guard width == self.width, height == self.height else {
            throw .frameSizeMismatch(frameIndex: appended, expected: "\(self.width)x\(self.height)", got: "\(width)x\(height)")
        }
        if let format, format != frameFormat {
            throw .mixedFrameFormats(frameIndex: appended, expected: format.rawValue, got: frameFormat.rawValue)
        }
        format = frameFormat
    }

    /// Encodes what is queued, flushes the encoder, writes the index and renames the clip onto
    /// `path`. On failure nothing is left at `path` and the temporary file is removed.
    public func finish() throws(EncodeError) -> EncodedClip {
        guard state == .open else { throw .closed(path: path) }
        state = .finished
        input.close()
        stages.wait()
        writer.close()
        if let error = failure.error {
            partial.discard()
            throw error
        }
        guard appended > 0 else {
            partial.discard()
            throw .noFrames(path: path)
        }
        do throws(EncodeError) {
            try partial.commit()
        } catch {
            partial.discard()
            throw error
        }
        return EncodedClip(path: path, frameCount: appended, byteSize: try PartialFile.size(of: path),
                           codecName: codecName,
                           duration: Double(appended) * Double(frameRate.denominator) / Double(frameRate.numerator))
    }

    /// Stops both threads, drops queued frames and deletes the temporary file; `path` is untouched.
    public func abandon() {
        guard state == .open else { return }
        state = .abandoned
        failure.abandon()
        input.cancel()
        converted.cancel()
        recycled.cancel()
        stages.wait()
        writer.close()
        partial.discard()
    }

    /// The most frames ever waiting in each queue: bounded by the capacities above (tests check it).
    var peakQueuedFrames: (input: Int, converted: Int) { (input.peakCount, converted.peakCount) }

    private func startStages(converter: ColourConverter) {
        let (input, converted, recycled, failure, writer) = (self.input, self.converted, self.recycled, self.failure, self.writer)
        let path = partial.temporaryPath
        let cancelAll: @Sendable (EncodeError) -> Void = { error in
            failure.record(error)
            input.cancel()
            converted.cancel()
            recycled.cancel()
        }
        stages.enter()
        stages.enter()
        let group = stages
        let conversion = Thread {
            defer { group.leave() }
            var index: Int64 = 0
            while let rgb = input.pop(), let yuv = recycled.pop() {
                do throws(EncodeError) {
                    try yuv.makeWritable(path: path)
                    try converter.convert(rgb, into: yuv, path: path)
                } catch {
                    cancelAll(error)
                    return
                }
                yuv.presentationIndex = index
                index += 1
                guard converted.push(yuv) else { return }
            }
            converted.close()
        }
        let encoding = Thread {
            defer { group.leave() }
            do throws(EncodeError) {
                while let yuv = converted.pop() {
                    try writer.encode(yuv)
                    recycled.push(yuv)
                }
                if !failure.stopped { try writer.finish() }
            } catch {
                cancelAll(error)
            }
        }
        conversion.name = "farm.encode.convert"
        encoding.name = "farm.encode.encode"
        conversion.start()
        encoding.start()
    }
}
