import FarmCore
import FarmEncode
import FarmWire
import Foundation

/// Real MP4s shaped as a request asks (size, frame rate, frame count) with blank frames: what a
/// render-free worker sends, so the coordinator checks its RESULTs exactly as a GPU worker's. Each
/// shape is encoded once (libx264 ultrafast) and kept for the life of the process.
public enum StandInClips {
    public struct Shape: Hashable, Sendable {
        public var width: Int
        public var height: Int
        public var frameRate: FrameRate
        public var frames: Int
        /// The grey level of every pixel: lets a test tell apart two clips of one shape.
        public var shade: UInt8

        public init(width: Int, height: Int, frameRate: FrameRate, frames: Int, shade: UInt8 = 0x44) {
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.frames = frames
            self.shade = shade
        }
    }

    private static let cache = Locked<[Shape: Data]>([:])

    /// The clip of `shape`, encoded on first use.
    public static func clip(_ shape: Shape) throws -> Data {
        if let clip = cache.withLock({ $0[shape] }) { return clip }
        let clip = try encode(shape)
        cache.withLock { $0[shape] = clip }
        return clip
    }

    private static func encode(_ shape: Shape) throws -> Data {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("farm-stand-in-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = (directory as NSString).appendingPathComponent("clip.mp4")
        let encoder = try ClipEncoder(path: path, width: shape.width, height: shape.height, frameRate: shape.frameRate,
                                      settings: EncoderSettings(preset: "ultrafast"))
        let frame = RGBFrame(width: shape.width, height: shape.height,
                             pixels: [UInt8](repeating: shape.shade, count: shape.width * shape.height * 3))
        do {
            for _ in 0..<shape.frames { try encoder.append(frame) }
            _ = try encoder.finish()
        } catch {
            encoder.abandon()
            throw error
        }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}

extension StandInClips.Shape {
    /// The shape a worker's RESULT for `task` must have.
    public init(_ task: TaskAssignment, shade: UInt8 = 0x44) {
        self.init(width: task.width, height: task.height, frameRate: task.fps, frames: task.steps.count, shade: shade)
    }
}
