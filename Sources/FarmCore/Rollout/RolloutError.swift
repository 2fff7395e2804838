/// Why a rollout file (or a rollout received over the wire) was refused. Each case names the field or
/// byte range that was wrong so a user can fix the writer that produced it.
public enum RolloutError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case badMagic(found: String)
    case truncated(section: String, expectedBytes: Int, availableBytes: Int)
    case sizeMismatch(expectedTotal: Int, actualTotal: Int, layout: String)
    case headerNotJSON(reason: String)
    case missingField(String)
    case wrongType(field: String, expected: String)
    case invalidValue(field: String, reason: String)
    /// `step_dt` outside the rates the farm plays (`FrameRate.stepDTRange`).
    case frameRate(FrameRateError)
    case unsupportedVersion(Int)
    case unknownShapeType(field: String, type: String)
    case nonFiniteBodyPose(step: Int, body: Int, component: Int)
    /// `count` NaN or infinite body_q values in a whole rollout; the first at step, body, component.
    case nonFiniteBodyPoses(step: Int, body: Int, component: Int, count: Int)
    case stepsOutOfRange(requested: Range<Int>, available: Range<Int>)
    case meshOutOfRange(field: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open rollout file \(path): \(reason)"
        case .badMagic(let found):
            return "not a rollout file: bytes 0..7 are \(found), expected \"\(RolloutFormat.magicString)\""
        case .truncated(let section, let expected, let available):
            return "rollout truncated in \(section): needs \(expected) bytes, only \(available) present"
        case .sizeMismatch(let expected, let actual, let layout):
            return "rollout sizes disagree: the header implies \(expected) bytes (\(layout)) but the file has \(actual)"
        case .headerNotJSON(let reason):
            return "rollout header is not a JSON object: \(reason)"
        case .missingField(let field):
            return "rollout header: missing field \(field)"
        case .wrongType(let field, let expected):
            return "rollout header: \(field) must be \(expected)"
        case .invalidValue(let field, let reason):
            return "rollout header: \(field) \(reason)"
        case .frameRate(let error):
            return "rollout header: \(error)"
        case .unsupportedVersion(let version):
            return "rollout header: version \(version) is not supported (this farm reads version \(RolloutFormat.version))"
        case .unknownShapeType(let field, let type):
            let known = ShapeType.allCases.map(\.rawValue).joined(separator: ", ")
            return "rollout header: \(field) is \"\(type)\", not one of \(known)"
        case .nonFiniteBodyPose(let step, let body, let component):
            let names = ["px", "py", "pz", "qx", "qy", "qz", "qw"]
            return "rollout body_q: step \(step), body \(body), \(names[component]) is NaN or infinite"
        case .nonFiniteBodyPoses(let step, let body, let component, let count):
            let names = ["px", "py", "pz", "qx", "qy", "qz", "qw"]
            return "rollout body_q holds \(count) NaN or infinite value\(count == 1 ? "" : "s"); the first is "
                + "step \(step), body \(body), \(names[component])"
        case .stepsOutOfRange(let requested, let available):
            return "rollout holds env steps \(available.lowerBound)..<\(available.upperBound); "
                + "steps \(requested.lowerBound)..<\(requested.upperBound) were asked for"
        case .meshOutOfRange(let field, let reason):
            return "rollout header: \(field) \(reason)"
        }
    }
}

extension RolloutError: RetryVerdict {
    /// A rollout that cannot be read or rendered is the same on every worker; only a file this
    /// worker cannot open (a missing mount, permissions) might open elsewhere.
    public var retryElsewhere: Bool {
        switch self {
        case .cannotOpen: true
        case .badMagic, .truncated, .sizeMismatch, .headerNotJSON, .missingField, .wrongType, .invalidValue, .frameRate,
             .unsupportedVersion, .unknownShapeType, .nonFiniteBodyPose, .nonFiniteBodyPoses, .stepsOutOfRange,
             .meshOutOfRange: false
        }
    }
}
