/// The most one job may ask of the farm. Every count a submission states is checked against these
/// before anything is allocated for it, so a small request cannot stall the coordinator or grow its
/// state without bound: planning costs time in proportion to the clips kept, and these cap those.
/// Workers check each TASK against the same limits (with `FrameSize` and `FrameRate`), so a worker
/// refuses whatever its coordinator would have refused.
public struct SubmissionLimits: Sendable, Equatable {
    /// Clips per job: 16 streams of a long run (2.4 M env steps at video_interval 2000 is 1,200
    /// each). A job's clips are planned and stored while the coordinator's loop waits: 100,000 held
    /// it for seconds (past a worker's liveness), 20,000 for a fraction of one.
    public var maxClipsPerJob: Int
    /// Frames per clip: 100,000 is 28 minutes at 60 fps; Isaac Lab's default video_length is 200.
    public var maxFramesPerClip: Int
    /// Frames over all of a job's clips; each is one step index in the state database.
    public var maxFramesPerJob: Int
    /// A job's `max_retries`: each retry is a whole clip rendered again.
    public var maxRetries: Int

    public init(maxClipsPerJob: Int = 20_000, maxFramesPerClip: Int = 100_000, maxFramesPerJob: Int = 10_000_000,
                maxRetries: Int = 100) {
        self.maxClipsPerJob = maxClipsPerJob
        self.maxRetries = maxRetries
        self.maxFramesPerClip = maxFramesPerClip
        self.maxFramesPerJob = maxFramesPerJob
    }

    public static let standard = SubmissionLimits()
}
