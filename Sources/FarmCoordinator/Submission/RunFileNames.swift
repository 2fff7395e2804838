/// The names in a run's video folder that planning reads besides the folder itself: those unfinished
/// jobs will write (`claimed`: numbering continues after them, `clip_file` may not take them) and
/// those the farm filed (`filed`: `clip_file` may replace them). The loop takes them for a SUBMIT
/// planned off it, and compares them again before it accepts the plan.
struct RunFileNames: Sendable {
    var claimed: [String] = []
    var filed: [String] = []

    /// For a plan that reads no names (`SubmissionPlanner.readsRunFileNames`).
    static let unread = RunFileNames()

    /// Whether a plan made with `self` is the plan `other` would make: the same names, in any order.
    func matches(_ other: RunFileNames) -> Bool {
        Set(claimed) == Set(other.claimed) && Set(filed) == Set(other.filed)
    }
}
