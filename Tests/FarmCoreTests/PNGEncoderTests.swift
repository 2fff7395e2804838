import Foundation
import Testing
@testable import FarmCore

@Test func checksumsMatchTheirReferenceValues() {
    #expect(PNGEncoder.crc32(Data("IEND".utf8)) == 0xAE42_6082)
    #expect(PNGEncoder.adler32(Data("Wikipedia".utf8)) == 0x11E6_0398)
}

@Test func pngDecodesToTheExactPixels() throws {
    let width = 67, height = 1000  // > 65535 bytes: several stored blocks
    var frame = RGBFrame(width: width, height: height)
    for i in 0..<frame.pixels.count { frame.pixels[i] = UInt8(truncatingIfNeeded: i * 7 + i / 3) }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("png-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let png = dir.appendingPathComponent("frame.png")
    try PNGEncoder.encode(frame).write(to: png)

    let ffmpeg = Process()
    ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
    ffmpeg.arguments = ["-v", "error", "-i", png.path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    let output = Pipe()
    ffmpeg.standardOutput = output
    try ffmpeg.run()
    let decoded = output.fileHandleForReading.readDataToEndOfFile()
    ffmpeg.waitUntilExit()
    #expect(ffmpeg.terminationStatus == 0)
    #expect(decoded == Data(frame.pixels))
}
