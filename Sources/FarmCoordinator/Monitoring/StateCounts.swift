import FarmCore

/// Jobs and clips per state, as the store counts them for the metrics.
public struct StateCounts: Sendable, Equatable {
    public var jobs: [JobState: Int] = [:]
    public var clips: [ClipState: Int] = [:]

    public init() {}
}

/// A job with its clips and frames counted per clip state, for the dashboard's job list.
public struct JobSummary: Sendable, Equatable {
    public var job: TrackedJob
    public var clips: [ClipState: Int] = [:]
    public var frames: [ClipState: Int] = [:]

    public init(job: TrackedJob) {
        self.job = job
    }

    public var clipsTotal: Int { clips.values.reduce(0, +) }
    public var framesTotal: Int { frames.values.reduce(0, +) }
}
