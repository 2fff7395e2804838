/// One clip a run produces: its file name, the step that started it and the steps whose frames
/// it holds, in the schedule's numbering (see `ScheduleKind`). Frame k of the clip is the frame
/// rendered after step `steps[k]`.
public struct PlannedClip: Sendable, Hashable {
    public let schedule: ScheduleKind
    public let file: String
    /// The step whose trigger opened the clip; the first frame's step unless a frame stride skips it.
    public let triggerStep: Int
    /// Never empty: a recorder writes no file for a clip without frames.
    public let steps: StepProgression

    public init(schedule: ScheduleKind, file: String, triggerStep: Int, steps: StepProgression) {
        precondition(!steps.isEmpty, "a planned clip holds at least one frame")
        self.schedule = schedule
        self.file = file
        self.triggerStep = triggerStep
        self.steps = steps
    }

    /// The step of the clip's first frame.
    public var firstStep: Int { steps.first }
    public var frames: Int { steps.count }
    /// The 0-based env step indices of the frames: the rollout rows to render.
    public var envStepIndices: StepProgression { steps.shifted(by: -schedule.firstStepNumber) }
}

extension PlannedClip: Encodable {
    private enum CodingKeys: String, CodingKey {
        case file, firstStep = "first_step", frames, steps, triggerStep = "trigger_step"
    }

    /// `{"file", "first_step", "frames", "steps", "trigger_step"}`, the `farmctl plan --json` shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(firstStep, forKey: .firstStep)
        try container.encode(frames, forKey: .frames)
        try container.encode(Array(steps), forKey: .steps)
        try container.encode(triggerStep, forKey: .triggerStep)
    }
}
