import ArgumentParser
import FarmCLI
import FarmCore
import Foundation

/// `farmctl plan`: the clips a training run of T env steps produces, in step order.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "List the clips a run of --steps env steps records, file by file.",
        discussion: """
            gymnasium (default) is RecordVideo's step trigger (step % interval == 0, files \
            rl-video-step-S.mp4, steps counted from 0). isaaclab is Isaac Lab 3's recorder \
            (<prefix>_0000.mp4, --prefix default clip, trigger (step-1) % interval == 0 after --step-offset, --frame-stride, \
            interval 0 = one clip, steps counted from 1). "steps" lists the steps whose frames a \
            clip holds; first_step is the first of them.
            """)

    @Option(name: .customLong("steps"), parsing: .unconditional, help: "Env steps in the run (T).")
    var steps: Int

    @Option(name: .customLong("video_length"), parsing: .unconditional,
            help: "Frames (gymnasium) or env steps (isaaclab) per clip.")
    var videoLength: Int

    @Option(name: .customLong("video_interval"), parsing: .unconditional,
            help: "Env steps between clip starts (isaaclab: 0 = a single clip).")
    var videoInterval: Int

    @Option(help: "gymnasium or isaaclab.")
    var schedule: ScheduleKind = .gymnasium

    @Option(name: .customLong("step-offset"), parsing: .unconditional,
            help: "isaaclab: env steps skipped before the first clip.")
    var stepOffset: Int = 0

    @Option(name: .customLong("frame-stride"), parsing: .unconditional,
            help: "isaaclab: one frame every N env steps.")
    var frameStride: Int = 1

    @Option(name: .customLong("first-clip-index"), parsing: .unconditional,
            help: "isaaclab: index of the first clip file (default: after the highest <prefix>_NNNN.mp4 in --video-dir, else 0).")
    var firstClipIndex: Int?

    @Option(help: "isaaclab: output_filename_prefix; files are <prefix>_NNNN.mp4.")
    var prefix: String = IsaacLabSchedule.namePrefix

    @Option(name: .customLong("video-dir"),
            help: "isaaclab: folder whose existing clips the numbering continues after.")
    var videoDirectory: String?

    @Flag(help: "Print [{\"file\", \"first_step\", \"frames\", \"steps\", \"trigger_step\"}, ...] as JSON.")
    var json = false

    func validate() throws {
        if videoDirectory != nil, schedule != .isaaclab {
            throw ValidationError("--video-dir applies to the isaaclab schedule only")
        }
        if prefix != IsaacLabSchedule.namePrefix, schedule != .isaaclab {
            throw ValidationError("--prefix applies to the isaaclab schedule only")
        }
        if (try? PathComponent(IsaacLabClipNaming.fileName(prefix: prefix, index: 0), field: .file)) == nil || prefix.isEmpty {
            throw ValidationError("--prefix '\(prefix)' cannot name clip files (one folder entry, no '/')")
        }
    }

    func run() throws {
        try reportingFailures {
            let clipIndex = try clipIndex()
            let clips: [PlannedClip]
            do {
                clips = try schedule.plan(ScheduleParameters(
                    totalSteps: steps, videoLength: videoLength, videoInterval: videoInterval,
                    stepOffset: stepOffset, frameStride: frameStride, firstClipIndex: clipIndex, namePrefix: prefix))
            } catch {
                throw CommandFailure(message: String(describing: error))
            }
            if json {
                try JSONOutput.print(clips)
            } else {
                printHuman(clips)
            }
        }
    }

    private func clipIndex() throws -> Int {
        if let firstClipIndex { return firstClipIndex }
        guard let videoDirectory else { return 0 }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: videoDirectory) else {
            return 0
        }
        return IsaacLabClipNaming.nextClipIndex(prefix: prefix, existingFileNames: names)
    }

    private func printHuman(_ clips: [PlannedClip]) {
        let totalFrames = clips.reduce(0) { $0 + $1.frames }
        print("\(clips.count) clip\(clips.count == 1 ? "" : "s"), \(totalFrames) frames "
            + "(\(schedule.rawValue) schedule, \(steps) env steps)")
        let width = clips.map(\.file.count).max() ?? 0
        for clip in clips {
            let name = clip.file.padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(name)  first_step \(clip.firstStep)  frames \(clip.frames)  steps \(Self.describe(clip.steps))")
        }
    }

    static func describe(_ steps: StepProgression) -> String {
        guard let last = steps.last else { return "none" }
        if steps.count == 1 { return "\(steps.first)" }
        return steps.stride == 1 ? "\(steps.first)...\(last)" : "\(steps.first)...\(last) every \(steps.stride)"
    }
}
