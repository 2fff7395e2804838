import FarmCore
import Foundation

enum TestFrames {
    static func solid(width: Int, height: Int, _ colour: (UInt8, UInt8, UInt8)) -> RGBFrame {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = colour
        }
        return RGBFrame(width: width, height: height, pixels: pixels)
    }

    /// A solid colour as I420 samples: BT.709, limited range (what the encoder's conversion makes).
    static func solidI420(width: Int, height: Int, _ colour: (UInt8, UInt8, UInt8)) -> YUV420Frame {
        let (r, g, b) = (Double(colour.0) / 255, Double(colour.1) / 255, Double(colour.2) / 255)
        let luma = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let y = UInt8((16 + 219 * luma).rounded())
        let u = UInt8((128 + 224 * (b - luma) / 1.8556).rounded())
        let v = UInt8((128 + 224 * (r - luma) / 1.5748).rounded())
        let chroma = (width / 2) * (height / 2)
        return YUV420Frame(width: width, height: height,
                           bytes: [UInt8](repeating: y, count: width * height) + [UInt8](repeating: u, count: chroma)
                               + [UInt8](repeating: v, count: chroma))
    }

    /// Red rising left to right, blue rising top to bottom, green fixed; moves with `shift`.
    static func gradient(width: Int, height: Int, shift: Int = 0) -> RGBFrame {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                pixels[i] = UInt8(((x + shift) % width) * 255 / (width - 1))
                pixels[i + 1] = 128
                pixels[i + 2] = UInt8(y * 255 / (height - 1))
            }
        }
        return RGBFrame(width: width, height: height, pixels: pixels)
    }

    static func average(_ pixels: [UInt8]) -> (r: Double, g: Double, b: Double) {
        var sum = (0, 0, 0)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            sum.0 += Int(pixels[i]); sum.1 += Int(pixels[i + 1]); sum.2 += Int(pixels[i + 2])
        }
        let n = Double(pixels.count / 3)
        return (Double(sum.0) / n, Double(sum.1) / n, Double(sum.2) / n)
    }
}

/// A fresh directory per test, removed afterwards.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("farm-encode-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    var contents: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }
}
