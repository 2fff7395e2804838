/// Constants of the rollout file layout (see docs/ROLLOUT.md):
/// magic, u64le header length, JSON header, float32le body_q [steps][bodies][7], mesh blobs.
public enum RolloutFormat {
    public static let magicString = "FARMRLT1"
    public static let magic: [UInt8] = Array(magicString.utf8)
    public static let version = 1
    /// Magic plus the header-length field.
    public static let preambleBytes = 16
    /// px py pz qx qy qz qw.
    public static let floatsPerPose = 7
    public static let bytesPerPose = floatsPerPose * 4
    /// Refuse absurd headers before allocating for them.
    public static let maxHeaderBytes = 256 << 20
    /// The largest `first_step` and `steps`, 2^50 (about 10^15 env steps, a million times a long
    /// training run): their sum and any schedule arithmetic on it stay far from `Int` overflow.
    public static let maxSteps = 1 << 50
    /// The largest `num_bodies` and `num_envs`, 2^24 (16.7 M).
    public static let maxBodies = 1 << 24
    /// The largest body_q section and mesh blob offset or size, 2^50 bytes (1 PiB): larger cannot be
    /// a real file, and it keeps offset arithmetic from overflowing.
    public static let maxSectionBytes = 1 << 50
}
