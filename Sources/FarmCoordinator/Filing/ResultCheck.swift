import FarmCore
import FarmEncode
import Foundation

/// What a worker's RESULT must be before it is filed: an MP4 that libavformat reads, whose video
/// is H.264 (or MPEG-4 Part 2, the encoder's fallback) at its stream's size and frame rate, holding
/// exactly the clip's frames. Every worker's RESULT is held to this; none can announce its way past it.
struct ResultCheck {
    static let codecs: Set = ["h264", "mpeg4"]

    let width: Int
    let height: Int
    let frameRate: FrameRate
    let frames: Int

    init(job: JobSpec, clip: ClipPlan) {
        let stream = job.stream(clip.stream)
        width = stream.width
        height = stream.height
        frameRate = stream.frameRate
        frames = clip.frames
    }

    /// Nil when `mp4` is the clip expected; otherwise every way it is not, for the FAILED record.
    func refusal(of mp4: Data, name: String) -> String? {
        let probe: ClipProbe
        do {
            probe = try ClipProbe.probe(mp4, name: name)
        } catch {
            return "RESULT refused: \(mp4.count) bytes that are not a readable video: \(error)"
        }
        var wrong: [String] = []
        if !probe.isMP4 { wrong.append("container is \(probe.container), expected mp4") }
        if !Self.codecs.contains(probe.codec) { wrong.append("codec is \(probe.codec), expected h264 or mpeg4") }
        if (probe.width, probe.height) != (width, height) {
            wrong.append("size is \(probe.width)x\(probe.height), expected \(width)x\(height)")
        }
        if probe.frames != frames { wrong.append("\(probe.frames) frames, expected \(frames)") }
        if let rate = probe.frameRate, rate != frameRate { wrong.append("frame rate is \(rate) fps, expected \(frameRate) fps") }
        if probe.frameRate == nil { wrong.append("no frame rate, expected \(frameRate) fps") }
        return wrong.isEmpty ? nil : "RESULT refused: " + wrong.joined(separator: "; ")
    }
}
