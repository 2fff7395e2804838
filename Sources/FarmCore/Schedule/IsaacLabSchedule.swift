/// Isaac Lab 3's step-driven `VideoRecorder` (`isaaclab/envs/utils/video_recorder.py`).
///
/// Per `env.step()` the recorder counts `n` = 1, 2, ...; steps `n <= step_offset` are skipped and
/// the rest are numbered `e = n − step_offset` from 1. A clip starts when `(e − 1) % interval == 0`
/// (interval 0: only at `e == 1`), closing a clip still open. Within a clip the k-th step (k from 1)
/// captures a frame when `k % frame_stride == 0`; the clip closes after `video_length` steps, at the
/// next trigger, or at the end of the run. A clip that captured no frame writes no file and takes
/// no index. Files are `clip_%04d.mp4`, numbered on from `firstClipIndex`.
public enum IsaacLabSchedule {
    public static let namePrefix = "clip"

    /// `clip_0000.mp4`; Python's `{index:04d}` widens past four digits.
    public static func fileName(index: Int) -> String {
        let digits = String(index)
        return "\(namePrefix)_\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits).mp4"
    }

    public static func plan(_ parameters: ScheduleParameters) throws(ScheduleError) -> [PlannedClip] {
        try validate(parameters)
        let offset = parameters.stepOffset
        let stride = parameters.frameStride
        let interval = parameters.videoInterval
        let effectiveSteps = parameters.totalSteps - offset
        guard effectiveSteps >= 1 else { return [] }

        let triggers: [Int] = interval == 0 ? [1] : Array(Swift.stride(from: 1, through: effectiveSteps, by: interval))
        var clips: [PlannedClip] = []
        for trigger in triggers {
            var window = min(parameters.videoLength, effectiveSteps - trigger + 1)
            if interval > 0 { window = min(window, interval) }
            let frames = window / stride
            guard frames > 0 else { continue }
            let triggerStep = offset + trigger
            clips.append(PlannedClip(
                schedule: .isaaclab,
                file: fileName(index: parameters.firstClipIndex + clips.count),
                triggerStep: triggerStep,
                steps: StepProgression(first: triggerStep - 1 + stride, stride: stride, count: frames)))
        }
        return clips
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
