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
}
