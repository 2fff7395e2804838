import FarmHarness
import Foundation

/// Runs the command-line tools the encode benchmark compares against or measures with.
enum ExternalTools {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `arguments` (looked up on PATH) to completion; throws with its standard error unless it exits 0.
    @discardableResult
    static func run(_ arguments: [String]) throws -> (stderr: String, stdout: String) {
        let result = try ProcessOutput.run(URL(fileURLWithPath: "/usr/bin/env"), arguments)
        guard result.status == 0 else {
            throw Failure(description: "\(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr.suffix(2000))")
        }
        return (result.stderr, String(decoding: result.stdout, as: UTF8.self))
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
