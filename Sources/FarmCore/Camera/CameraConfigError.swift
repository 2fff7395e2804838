/// A camera or task setting that cannot be recorded, with the field and where it came from.
public enum CameraConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFinite(field: String, value: Vec3, origin: String)
    case eyeEqualsLookat(eye: Vec3, origin: String)
    case invalidValue(field: String, value: String, origin: String, reason: String)
    /// A view the renderer cannot form (`CameraView.problem`) other than the two above.
    case unusableView(CameraViewProblem, origin: String)

    public var description: String {
        switch self {
        case let .notFinite(field, value, origin):
            "\(origin): \(field) \(value) has a NaN or infinite coordinate"
        case let .eyeEqualsLookat(eye, origin):
            "\(origin): eye and lookat are both \(eye); the camera must look somewhere other than where it stands"
        case let .invalidValue(field, value, origin, reason):
            "\(origin): \(field) \(value) \(reason)"
        case let .unusableView(problem, origin):
            "\(origin): \(problem)"
        }
    }

    public static func check(_ view: CameraView, origin: String) throws(CameraConfigError) {
        if !view.eye.isFinite { throw .notFinite(field: "eye", value: view.eye, origin: origin) }
        if !view.lookat.isFinite { throw .notFinite(field: "lookat", value: view.lookat, origin: origin) }
        if view.eye == view.lookat { throw .eyeEqualsLookat(eye: view.eye, origin: origin) }
        if let problem = view.problem { throw .unusableView(problem, origin: origin) }
    }

    /// Sides must be even (H.264 4:2:0 halves them) and at most `FrameSize.maxDimension`, and the
    /// frame at most `FrameSize.maxMacroblocks`, so that every size accepted here can be encoded.
    public static func check(_ size: FrameSize, origin: String) throws(CameraConfigError) {
        for (field, value) in [("width", size.width), ("height", size.height)] {
            guard (2...FrameSize.maxDimension).contains(value), value % 2 == 0 else {
                throw .invalidValue(field: field, value: "\(value)", origin: origin,
                                    reason: "must be an even number of pixels from 2 to \(FrameSize.maxDimension) "
                                        + "(libx264's largest side)")
            }
        }
        guard size.macroblocks <= FrameSize.maxMacroblocks else {
            throw .invalidValue(field: "frame size", value: "\(size)", origin: origin,
                                reason: "is \(size.macroblocks) macroblocks of 16×16; H.264's largest level (6.2) "
                                    + "allows \(FrameSize.maxMacroblocks) (8192x4320 fits; 8192x4352 fits exactly)")
        }
    }
}
