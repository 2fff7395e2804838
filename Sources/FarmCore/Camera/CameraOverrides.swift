/// Explicit camera settings from a submission or the command line; each one given wins.
public struct CameraOverrides: Sendable, Hashable {
    public var eye: Vec3?
    public var lookat: Vec3?
    public var width: Int?
    public var height: Int?

    public init(eye: Vec3? = nil, lookat: Vec3? = nil, width: Int? = nil, height: Int? = nil) {
        self.eye = eye
        self.lookat = lookat
        self.width = width
        self.height = height
    }

    public static let none = CameraOverrides()
}
