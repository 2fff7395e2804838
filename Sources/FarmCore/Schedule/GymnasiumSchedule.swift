/// gymnasium 1.x `RecordVideo` with `step_trigger = lambda step: step % interval == 0` and
/// `video_length = L`, as Isaac Lab 2.x's `scripts/reinforcement_learning/*/train.py` wraps the env.
///
/// The trigger fires at steps 0, I, 2I, ... below T; each names `rl-video-step-S.mp4`. A clip holds
/// the frames after steps S, S+1, ...: L of them, fewer when the next trigger cuts it (I < L: I
/// frames) or the run ends first (closing the env flushes the partial clip: T − S frames).
///
/// L frames is what the written files hold, measured with gymnasium 1.4.0 (T=1200, I=500, L=100:
/// three 100-frame clips; T=100, I=20, L=30: five 20-frame clips). RecordVideo itself
/// buffers one frame more (it stops once it holds *more than* L); whether moviepy's writer keeps it
/// depends on rounding of the clip's duration (see configs/README.md). The farm writes exactly L.
public enum GymnasiumSchedule {
    public static let namePrefix = "rl-video"

    public static func fileName(triggerStep: Int) -> String { "\(namePrefix)-step-\(triggerStep).mp4" }

    public static func plan(_ parameters: ScheduleParameters) throws(ScheduleError) -> [PlannedClip] {
        try validate(parameters)
        return (0..<triggerCount(parameters)).map { clip(trigger: $0, parameters) }
    }

    /// Triggers fire at 0, I, 2I, ... below T.
    static func triggerCount(_ parameters: ScheduleParameters) -> Int {
        parameters.totalSteps == 0 ? 0 : (parameters.totalSteps - 1) / parameters.videoInterval + 1
    }

    /// The clip of the k-th trigger (k from 0); `k < triggerCount`.
    static func clip(trigger k: Int, _ parameters: ScheduleParameters) -> PlannedClip {
        let start = k * parameters.videoInterval
        let frames = min(parameters.videoLength, parameters.videoInterval, parameters.totalSteps - start)
        return PlannedClip(schedule: .gymnasium, file: fileName(triggerStep: start), triggerStep: start,
                           steps: StepProgression(first: start, count: frames))
    }

    /// The first trigger whose clip's first frame is at env step index `envStep` or later.
    static func firstTrigger(firstFrameAtOrAfter envStep: Int, _ parameters: ScheduleParameters) -> Int {
        envStep <= 0 ? 0 : ceilingDivision(envStep, parameters.videoInterval)
    }

    static func validate(_ parameters: ScheduleParameters) throws(ScheduleError) {
        try ScheduleError.require("steps", parameters.totalSteps, atLeast: 0)
        try ScheduleError.require("video_length", parameters.videoLength, atLeast: 1)
        try ScheduleError.require("video_interval", parameters.videoInterval, atLeast: 1)
        if parameters.stepOffset != 0 {
            throw .notApplicable(field: "step_offset", value: parameters.stepOffset, schedule: .gymnasium)
        }
        if parameters.frameStride != 1 {
            throw .notApplicable(field: "frame_stride", value: parameters.frameStride, schedule: .gymnasium)
        }
        if parameters.firstClipIndex != 0 {
            throw .notApplicable(field: "first_clip_index", value: parameters.firstClipIndex, schedule: .gymnasium)
        }
    }
}

/// ⌈a / b⌉ for a ≥ 0, b > 0.
func ceilingDivision(_ a: Int, _ b: Int) -> Int { a / b + (a % b == 0 ? 0 : 1) }
