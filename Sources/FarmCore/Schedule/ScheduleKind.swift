/// The two clip conventions the farm reproduces.
///
/// Step numbering. An *env step index* counts `env.step()` calls from 0, across episode resets
/// (vectorised Isaac Lab envs reset sub-envs inside `step`, so no counter restarts). The rollout row
/// of env step index `i` holds the scene after that call, which is what a frame "after step i"
/// shows. Each schedule reports steps in its reference's own numbering:
/// - `gymnasium` uses RecordVideo's `step_id`, which *is* the env step index (first call: 0).
/// - `isaaclab` uses Isaac Lab 3's `_step_count`, incremented before use (first call: 1), so its
///   step `n` is env step index `n - 1`.
public enum ScheduleKind: String, Sendable, CaseIterable, Codable {
    /// gymnasium `RecordVideo` with `step_trigger = step % interval == 0` (Isaac Lab 2.x scripts).
    case gymnasium
    /// Isaac Lab 3's `VideoRecorder` (`clip_0000.mp4`, step offset, frame stride).
    case isaaclab

    /// The number this schedule gives the first `env.step()` call.
    public var firstStepNumber: Int {
        switch self {
        case .gymnasium: 0
        case .isaaclab: 1
        }
    }

    /// The 0-based env step index (rollout row step) of a step in this schedule's numbering.
    public func envStepIndex(ofStep step: Int) -> Int { step - firstStepNumber }

    public func plan(_ parameters: ScheduleParameters) throws(ScheduleError) -> [PlannedClip] {
        switch self {
        case .gymnasium: try GymnasiumSchedule.plan(parameters)
        case .isaaclab: try IsaacLabSchedule.plan(parameters)
        }
    }

    /// The clips whose first frame's env step index lies in `envSteps`, found from the trigger
    /// arithmetic so the cost is proportional to the clips returned, not to the steps; and the clip
    /// just before them, the only one that can start earlier and still reach into `envSteps`.
    /// More than `maxClips` clips is refused before any is made.
    public func plan(_ parameters: ScheduleParameters, firstFramesIn envSteps: Range<Int>,
                     maxClips: Int) throws(ScheduleError) -> ScheduleWindow {
        let count: Int
        let firstTrigger: (Int) -> Int
        let clip: (Int) -> PlannedClip?
        switch self {
        case .gymnasium:
            try GymnasiumSchedule.validate(parameters)
            count = GymnasiumSchedule.triggerCount(parameters)
            firstTrigger = { GymnasiumSchedule.firstTrigger(firstFrameAtOrAfter: $0, parameters) }
            clip = { GymnasiumSchedule.clip(trigger: $0, parameters) }
        case .isaaclab:
            try IsaacLabSchedule.validate(parameters)
            count = IsaacLabSchedule.triggerCount(parameters)
            firstTrigger = { IsaacLabSchedule.firstTrigger(firstFrameAtOrAfter: $0, parameters) }
            clip = { IsaacLabSchedule.clip(trigger: $0, parameters) }
        }
        let first = min(firstTrigger(envSteps.lowerBound), count)
        let end = min(firstTrigger(envSteps.upperBound), count)
        guard end - first <= maxClips else { throw .tooManyClips(count: end - first, limit: maxClips) }
        return ScheduleWindow(clips: (first..<end).compactMap(clip), preceding: first > 0 ? clip(first - 1) : nil)
    }
}

/// Part of a schedule: see `ScheduleKind.plan(_:firstFramesIn:maxClips:)`.
public struct ScheduleWindow: Sendable, Hashable {
    public var clips: [PlannedClip]
    public var preceding: PlannedClip?
}
