import Foundation

/// Runs the command-line tools the encode benchmark compares against or measures with.
enum ExternalTools {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `arguments` (looked up on PATH), returning its standard error and the wall time.
    @discardableResult
    static func run(_ arguments: [String], standardOutput: URL? = nil) throws -> (stderr: String, stdout: String, seconds: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errPipe = Pipe(), outPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = outPipe
        let start = DispatchTime.now()
        try process.run()
        // Read both pipes to the end before waiting, so a chatty tool cannot fill one and stall.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { errData = errPipe.fileHandleForReading.readDataToEndOfFile() }
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let stderr = String(decoding: errData, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(stderr.suffix(2000))")
        }
        return (stderr, String(decoding: outData, as: UTF8.self), seconds)
    }

    /// The frame count the clip's container reports.
    static func frameCount(clip: String) throws -> Int {
        let output = try run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=nb_frames",
                              "-of", "default=noprint_wrappers=1:nokey=1", clip]).stdout
        guard let count = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Failure(description: "ffprobe printed no frame count for \(clip): \(output)")
        }
        return count
    }

    /// PSNR (dB, average over R, G, B) and SSIM of `clip` against the raw RGB source frames, both
    /// compared as planar RGB after ffmpeg decodes the clip honouring its colour tags.
    static func quality(clip: String, rawFrames: String, width: Int, height: Int, fps: String) throws -> (psnr: Double, ssim: Double) {
        func measure(_ filter: String, key: String) throws -> Double {
            let output = try run(["ffmpeg", "-nostdin", "-hide_banner", "-nostats",
                                  "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)", "-framerate", fps,
                                  "-i", rawFrames, "-i", clip,
                                  "-lavfi", "[0:v]format=gbrp[src];[1:v]format=gbrp[enc];[enc][src]\(filter)",
                                  "-f", "null", "-"]).stderr
            guard let line = output.split(separator: "\n").last(where: { $0.contains(key) }),
                  let range = line.range(of: key) else {
                throw Failure(description: "ffmpeg \(filter) printed no \(key) for \(clip)")
            }
            let number = line[range.upperBound...].prefix { "0123456789.".contains($0) }
            guard let value = Double(number) else {
                throw Failure(description: "ffmpeg \(filter) printed an unreadable \(key) for \(clip): \(line)")
            }
            return value
        }
        return (try measure("psnr", key: "average:"), try measure("ssim", key: "All:"))
    }
}
