/// Isaac Lab 3's step-driven `VideoRecorder` (`isaaclab/envs/utils/video_recorder.py`).
///
/// Per `env.step()` the recorder counts `n` = 1, 2, ...; steps `n <= step_offset` are skipped and
/// the rest are numbered `e = n − step_offset` from 1. A clip starts when `(e − 1) % interval == 0`
/// (interval 0: only at `e == 1`), closing a clip still open. Within a clip the k-th step (k from 1)
/// captures a frame when `k % frame_stride == 0`; the clip closes after `video_length` steps, at the
/// next trigger, or at the end of the run. A clip that captured no frame writes no file and takes
/// no index. Files are `<prefix>_%04d.mp4` (`output_filename_prefix`, default `clip`), numbered on
/// from `firstClipIndex`.
public enum IsaacLabSchedule {
    /// `VideoRecorderCfg.output_filename_prefix`'s default.
    public static let namePrefix = "clip"

    /// `clip_0000.mp4`.
    public static func fileName(index: Int) -> String { IsaacLabClipNaming.fileName(index: index) }

    public static func plan(_ parameters: ScheduleParameters) throws(ScheduleError) -> [PlannedClip] {
        try validate(parameters)
        return (0..<triggerCount(parameters)).compactMap { clip(trigger: $0, parameters) }
    }

    /// Triggers fire at effective steps 1, 1 + I, 1 + 2I, ... up to T − step_offset (interval 0: once).
    static func triggerCount(_ parameters: ScheduleParameters) -> Int {
        let effectiveSteps = parameters.totalSteps - parameters.stepOffset
        guard effectiveSteps >= 1 else { return 0 }
        return parameters.videoInterval == 0 ? 1 : (effectiveSteps - 1) / parameters.videoInterval + 1
    }

    /// The clip of the k-th trigger (k from 0; `k < triggerCount`), nil when it captures no frame.
    /// A clip's window never grows with k, so the clips without frames are the last ones: the k-th
    /// clip with frames is the k-th clip written and takes index `firstClipIndex + k`.
    static func clip(trigger k: Int, _ parameters: ScheduleParameters) -> PlannedClip? {
        let interval = parameters.videoInterval
        let stride = parameters.frameStride
        let trigger = 1 + k * interval
        var window = min(parameters.videoLength, parameters.totalSteps - parameters.stepOffset - trigger + 1)
        if interval > 0 { window = min(window, interval) }
        let frames = window / stride
        guard frames > 0 else { return nil }
        let triggerStep = parameters.stepOffset + trigger
        return PlannedClip(schedule: .isaaclab, file: IsaacLabClipNaming.fileName(prefix: parameters.namePrefix,
                                                                     index: parameters.firstClipIndex + k),
                           triggerStep: triggerStep,
                           steps: StepProgression(first: triggerStep - 1 + stride, stride: stride, count: frames))
    }

    /// The first trigger whose clip's first frame is at env step index `envStep` or later: the k-th
    /// clip's first frame is env step index `step_offset + k·I + frame_stride − 1`.
    static func firstTrigger(firstFrameAtOrAfter envStep: Int, _ parameters: ScheduleParameters) -> Int {
        let distance = envStep - (parameters.stepOffset + parameters.frameStride - 1)
        guard distance > 0 else { return 0 }
        return parameters.videoInterval == 0 ? 1 : ceilingDivision(distance, parameters.videoInterval)
    }

    static func validate(_ parameters: ScheduleParameters) throws(ScheduleError) {
        try ScheduleError.require("steps", parameters.totalSteps, atLeast: 0)
        try ScheduleError.require("video_length", parameters.videoLength, atLeast: 1)
        try ScheduleError.require("video_interval", parameters.videoInterval, atLeast: 0)
        try ScheduleError.require("step_offset", parameters.stepOffset, atLeast: 0)
        try ScheduleError.require("frame_stride", parameters.frameStride, atLeast: 1)
        try ScheduleError.require("first_clip_index", parameters.firstClipIndex, atLeast: 0)
    }
}
