import FarmHarness
import Foundation

/// What the tests ask ffprobe and ffmpeg about a clip, the way a user would check one.
public struct ProbedStream: Decodable, Sendable {
    public let codec_name: String
    public let width: Int
    public let height: Int
    public let pix_fmt: String
    public let avg_frame_rate: String
    public let r_frame_rate: String
    public let nb_frames: String?
    public let nb_read_frames: String?
    public let start_time: String?
    public let time_base: String
    public let color_space: String?
    public let color_range: String?
}

public enum ClipInspection {
    public struct ToolFailure: Error, CustomStringConvertible { public let description: String }

    /// Runs a tool from PATH; a non-zero exit is an error carrying its stderr.
    public static func run(_ arguments: [String]) throws -> (stdout: Data, stderr: String) {
        let result = try ProcessOutput.run(URL(fileURLWithPath: "/usr/bin/env"), arguments)
        guard result.status == 0 else {
            throw ToolFailure(description: "\(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return (result.stdout, result.stderr)
    }

    public static func probe(_ path: String) throws -> ProbedStream {
        struct Output: Decodable { let streams: [ProbedStream] }
        let json = try run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
                            "stream=codec_name,width,height,pix_fmt,avg_frame_rate,r_frame_rate,nb_read_frames,nb_frames,start_time,time_base,color_space,color_range",
                            "-of", "json", path]).stdout
        guard let stream = try JSONDecoder().decode(Output.self, from: json).streams.first else {
            throw ToolFailure(description: "ffprobe found no video stream in \(path)")
        }
        return stream
    }

    /// What `ffmpeg -v error -i clip -f null -` prints: empty for a clip that decodes cleanly.
    public static func decodeErrors(_ path: String) throws -> String {
        try run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-"]).stderr
    }

    /// Every decoded frame as packed RGB24, converted by ffmpeg honouring the clip's colour tags.
    public static func decodeRGB(_ path: String, width: Int, height: Int) throws -> [[UInt8]] {
        let data = try run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]).stdout
        let frameBytes = width * height * 3
        guard data.count % frameBytes == 0 else {
            throw ToolFailure(description: "decoded \(data.count) bytes, not a whole number of \(width)x\(height) frames")
        }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: frameBytes).map { Array(bytes[$0..<$0 + frameBytes]) }
    }

    /// The top-level MP4 box types in file order (ftyp, moov, free, mdat, …).
    public static func topLevelBoxes(_ path: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var boxes: [String] = []
        var offset = 0
        while offset + 8 <= data.count {
            let size = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            boxes.append(String(decoding: data[offset + 4..<offset + 8], as: UTF8.self))
            guard size >= 8 else { break }
            offset += size
        }
        return boxes
    }
}
