/// A schedule parameter out of range, named by its command-line flag.
public enum ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidValue(field: String, value: Int, requirement: String)
    /// gymnasium's RecordVideo has no step offset, frame stride or clip index.
    case notApplicable(field: String, value: Int, schedule: ScheduleKind)
    /// More clips fall in the asked-for steps than the caller allows.
    case tooManyClips(count: Int, limit: Int)

    public var description: String {
        switch self {
        case let .invalidValue(field, value, requirement):
            "\(field) is \(value); it must be \(requirement)"
        case let .notApplicable(field, value, schedule):
            "\(field) is \(value), but the \(schedule.rawValue) schedule has no \(field); "
                + "it applies to the isaaclab schedule only"
        case let .tooManyClips(count, limit):
            "the schedule puts \(count) clips in the rollout's steps; at most \(limit) are allowed per job "
                + "(raise video_interval or submit a shorter rollout)"
        }
    }

    /// Checks `minimum <= value <= ScheduleParameters.maxValue`.
    static func require(_ field: String, _ value: Int, atLeast minimum: Int) throws(ScheduleError) {
        if value < minimum {
            throw .invalidValue(field: field, value: value,
                                requirement: minimum == 0 ? "0 or more" : "at least \(minimum)")
        }
        if value > ScheduleParameters.maxValue {
            throw .invalidValue(field: field, value: value,
                                requirement: "at most \(ScheduleParameters.maxValue) (2^52)")
        }
    }
}
