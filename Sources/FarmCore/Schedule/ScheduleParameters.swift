/// The knobs of a recording run, named as the training scripts and recorder configs name them.
public struct ScheduleParameters: Sendable, Hashable {
    /// The largest value any parameter may take, 2^52: sums of a few of them (a trigger step plus a
    /// stride, say) stay far from `Int` overflow, and it is still a million times the longest training run.
    public static let maxValue = 1 << 52

    /// How many `env.step()` calls the run makes (T).
    public var totalSteps: Int
    /// `--video_length`: frames (gymnasium) or env steps (isaaclab) per clip; at least 1.
    public var videoLength: Int
    /// `--video_interval`: steps between clip starts; at least 1 for gymnasium, 0 = one clip for isaaclab.
    public var videoInterval: Int
    /// isaaclab only: env steps skipped before the first clip.
    public var stepOffset: Int
    /// isaaclab only: one frame every `frameStride` env steps within a clip.
    public var frameStride: Int
    /// isaaclab only: the index of the first clip written, e.g. from `IsaacLabClipNaming.nextClipIndex`.
    public var firstClipIndex: Int
    /// isaaclab only: `output_filename_prefix`, clips being `<prefix>_<index:04d>.mp4`.
    public var namePrefix: String

    public init(totalSteps: Int, videoLength: Int, videoInterval: Int,
                stepOffset: Int = 0, frameStride: Int = 1, firstClipIndex: Int = 0,
                namePrefix: String = IsaacLabSchedule.namePrefix) {
        self.totalSteps = totalSteps
        self.videoLength = videoLength
        self.videoInterval = videoInterval
        self.stepOffset = stepOffset
        self.frameStride = frameStride
        self.firstClipIndex = firstClipIndex
        self.namePrefix = namePrefix
    }
}
