import FarmCore
import FarmEncode
import Foundation

/// Real, tiny MP4s for fake workers: the coordinator probes every RESULT, and a `null_render`
/// worker's stand-in must still be a readable MP4. Clips differ by frame count, so a test can tell
/// which one landed where. Made once, for 1 to 4 frames.
enum TinyClips {
    private static let clips = Dictionary(uniqueKeysWithValues: (1...4).map { ($0, encode(frames: $0)) })

    static func clip(frames: Int = 1) -> Data {
        guard let clip = clips[frames] else { fatalError("TinyClips has clips of 1 to 4 frames, not \(frames)") }
        return clip
    }

    private static func encode(frames: Int) -> Data {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("farm-tiny-clips-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = (directory as NSString).appendingPathComponent("clip.mp4")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let encoder = try ClipEncoder(path: path, width: 16, height: 16, frameRate: FrameRate(numerator: 60, denominator: 1),
                                          settings: EncoderSettings())
            for frame in 0..<frames {
                try encoder.append(RGBFrame(width: 16, height: 16, pixels: [UInt8](repeating: UInt8(frame * 30 % 256), count: 16 * 16 * 3)))
            }
            _ = try encoder.finish()
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            fatalError("cannot encode a tiny test clip: \(error)")
        }
    }
}
