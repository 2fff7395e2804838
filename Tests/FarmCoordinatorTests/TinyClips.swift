import FarmCore
import FarmHarness
import FarmWire
import Foundation

/// Real MP4s for fake workers: the coordinator checks every RESULT against its task (size, rate,
/// frames), so a fake worker answers with the harness's stand-in clip of the task's shape.
enum TinyClips {
    /// The clip `task` asks for; `variant` changes its pixels, so a test can tell which one landed where.
    static func clip(for task: TaskAssignment, variant: Int = 0) throws -> Data {
        try StandInClips.clip(.init(task, shade: UInt8(0x44 + variant * 16 % 0xbb)))
    }

    /// A 16×16 one-frame clip, for files a test puts on disk itself.
    static func clip() throws -> Data {
        try StandInClips.clip(.init(width: 16, height: 16, frameRate: FrameRate(numerator: 60, denominator: 1), frames: 1))
    }
}
