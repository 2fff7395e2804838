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

    /// The farthest eye or lookat may be from the origin on any axis, metres. The renderer works in
    /// single precision: at 1e6 m a float still resolves 6 cm, and the squares it forms stay finite
    /// (a coordinate of 1e39 is infinite as a float).
    public static let maxCoordinate = 1e6
    /// The nearest eye and lookat may be once rounded to single precision, metres: closer, the view
    /// direction cannot be normalised and the view matrix is NaN.
    public static let minEyeToLookat: Float = 1e-4

    /// Why this camera cannot form a finite view, or nil when it can.
    public var problem: CameraViewProblem? {
        for (field, point) in [("eye", eye), ("lookat", lookat)] {
            guard point.isFinite else { return .notFinite(field: field, value: point) }
            guard max(abs(point.x), abs(point.y), abs(point.z)) <= Self.maxCoordinate else {
                return .tooFar(field: field, value: point)
            }
        }
        // The renderer's own arithmetic: Float coordinates, then their difference.
        let dx = Float(lookat.x) - Float(eye.x), dy = Float(lookat.y) - Float(eye.y), dz = Float(lookat.z) - Float(eye.z)
        let distance = (dx * dx + dy * dy + dz * dz).squareRoot()
        guard distance >= Self.minEyeToLookat else { return .tooClose(eye: eye, lookat: lookat) }
        return nil
    }

    /// A usable camera forms a finite view: finite, bounded coordinates, and a target apart from
    /// the eye in single precision.
    public var isUsable: Bool { problem == nil }
}

/// Why a camera cannot form a finite view (`CameraView.problem`).
public enum CameraViewProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case notFinite(field: String, value: Vec3)
    case tooFar(field: String, value: Vec3)
    case tooClose(eye: Vec3, lookat: Vec3)

    public var description: String {
        switch self {
        case let .notFinite(field, value):
            "\(field) \(value) has a NaN or infinite coordinate"
        case let .tooFar(field, value):
            "\(field) \(value) is more than \(CameraView.maxCoordinate) m from the origin on an axis; "
                + "the renderer's single precision cannot place it"
        case let .tooClose(eye, lookat):
            "eye \(eye) and lookat \(lookat) are less than \(CameraView.minEyeToLookat) m apart in single "
                + "precision; the camera must look somewhere other than where it stands"
        }
    }
}
