/// A perspective camera placed by position and look-at target, world frame, Z up.
public struct CameraView: Hashable, Sendable, Codable {
    public var eye: Vec3
    public var lookat: Vec3

    public init(eye: Vec3, lookat: Vec3) {
        self.eye = eye
        self.lookat = lookat
    }

    /// Seed defaults (`VideoRecorderCfg`): a diagonal view of the scene.
    public static let recorderDefault = CameraView(eye: Vec3(7.5, 7.5, 7.5), lookat: Vec3(0, 0, 0))

    /// A usable camera has finite coordinates and looks somewhere other than its own position.
    public var isUsable: Bool { eye.isFinite && lookat.isFinite && (lookat - eye).length > 0 }
}
