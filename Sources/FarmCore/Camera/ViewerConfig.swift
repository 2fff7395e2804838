/// A task's interactive viewer (`ViewerCfg`): where it looks from, relative to `originType`.
public struct ViewerConfig: Sendable, Hashable {
    public var eye: Vec3
    public var lookat: Vec3
    public var originType: OriginType

    public init(eye: Vec3, lookat: Vec3, originType: OriginType = .world) {
        self.eye = eye
        self.lookat = lookat
        self.originType = originType
    }

    /// `ViewerCfg()`'s defaults, which are also the recorder's.
    public static let isaacLabDefault = ViewerConfig(
        eye: CameraView.recorderDefault.eye, lookat: CameraView.recorderDefault.lookat, originType: .world)

    public var view: CameraView { CameraView(eye: eye, lookat: lookat) }
}
