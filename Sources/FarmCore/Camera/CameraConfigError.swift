/// A camera or task setting that cannot be recorded, with the field and where it came from.
public enum CameraConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFinite(field: String, value: Vec3, origin: String)
    case eyeEqualsLookat(eye: Vec3, origin: String)
    case invalidValue(field: String, value: String, origin: String, reason: String)

    public var description: String {
        switch self {
        case let .notFinite(field, value, origin):
            "\(origin): \(field) \(value) has a NaN or infinite coordinate"
        case let .eyeEqualsLookat(eye, origin):
            "\(origin): eye and lookat are both \(eye); the camera must look somewhere other than where it stands"
        case let .invalidValue(field, value, origin, reason):
            "\(origin): \(field) \(value) \(reason)"
        }
    }

    static func check(_ view: CameraView, origin: String) throws(CameraConfigError) {
        if !view.eye.isFinite { throw .notFinite(field: "eye", value: view.eye, origin: origin) }
        if !view.lookat.isFinite { throw .notFinite(field: "lookat", value: view.lookat, origin: origin) }
        if view.eye == view.lookat { throw .eyeEqualsLookat(eye: view.eye, origin: origin) }
    }

    static func check(_ size: FrameSize, origin: String) throws(CameraConfigError) {
        if size.width < 1 {
            throw .invalidValue(field: "width", value: "\(size.width)", origin: origin, reason: "must be at least 1 pixel")
        }
        if size.height < 1 {
            throw .invalidValue(field: "height", value: "\(size.height)", origin: origin, reason: "must be at least 1 pixel")
        }
    }
}
