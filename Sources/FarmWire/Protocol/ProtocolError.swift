/// Why a multipart message was refused. Never a crash: every parser returns one of these, and the
/// receiver answers with an ERROR (code from `code`) where a reply is possible, and logs it.
public enum ProtocolError: Error, Equatable, CustomStringConvertible {
    /// Fewer than the three frames every message has (header, command, JSON body).
    case tooFewFrames(count: Int)
    /// A ROUTER message with no routing identity frame.
    case missingIdentity
    /// The first frame is not "FARM" + two digits.
    case malformedHeader(found: String)
    /// A well-formed header of a version this build does not speak.
    case wrongVersion(found: Int, supported: Int)
    /// The command frame names no command this direction accepts.
    case unknownCommand(String, direction: Direction)
    /// The JSON body did not decode; `field` is the snake_case path of the culprit ("" for the whole body).
    case badJSON(command: String, field: String, reason: String)
    /// The body decoded but a value is out of range.
    case invalidValue(command: String, field: String, reason: String)
    /// Frame `index` (0 = header) exceeds its limit.
    case frameTooLarge(index: Int, bytes: Int, limit: Int)
    case tooManyFrames(count: Int, limit: Int)
    /// A command that carries binary frames arrived with fewer than it needs.
    case missingBinaryFrames(command: String, expected: String, found: Int)
    /// A command arrived with more binary frames than it takes.
    case unexpectedBinaryFrames(command: String, expected: Int, found: Int)
    /// SUBMIT's `required_fields` names fields this build does not know.
    case unsupportedFields(command: String, fields: [String])

    /// Which parser rejected the message.
    public enum Direction: String, Sendable {
        case workerToCoordinator = "worker → coordinator"
        case coordinatorToWorker = "coordinator → worker"
        case clientToCoordinator = "client → coordinator"
        case coordinatorToClient = "coordinator → client"
    }

    /// The ERROR reply's machine-readable code for this error.
    public var code: ErrorCode {
        switch self {
        case .tooFewFrames, .missingIdentity, .malformedHeader, .tooManyFrames,
             .missingBinaryFrames, .unexpectedBinaryFrames: .malformedMessage
        case .wrongVersion: .versionMismatch
        case .unknownCommand: .unknownCommand
        case .badJSON, .invalidValue: .badRequest
        case .frameTooLarge: .frameTooLarge
        case .unsupportedFields: .unsupportedField
        }
    }

    public var description: String {
        switch self {
        case .tooFewFrames(let count):
            return "malformed message: \(count) frame(s); every message needs a header, a command and a JSON body frame"
        case .missingIdentity:
            return "malformed message: no routing identity frame"
        case .malformedHeader(let found):
            return "malformed header frame \(found.debugDescription): expected \"\(ProtocolVersion.header)\" (\"FARM\" + 2-digit version)"
        case .wrongVersion(let found, let supported):
            return "protocol version mismatch: peer speaks FARM\(Self.twoDigits(found)), this build speaks FARM\(Self.twoDigits(supported)); upgrade the older side"
        case .unknownCommand(let command, let direction):
            return "unknown command \(command.debugDescription) for \(direction.rawValue)"
        case .badJSON(let command, let field, let reason):
            return field.isEmpty ? "\(command): bad JSON body: \(reason)" : "\(command): bad JSON body at \(field): \(reason)"
        case .invalidValue(let command, let field, let reason):
            return "\(command): \(field) \(reason)"
        case .frameTooLarge(let index, let bytes, let limit):
            return "frame \(index) is \(bytes) bytes, over the \(limit)-byte limit"
        case .tooManyFrames(let count, let limit):
            return "message has \(count) binary frames, over the limit of \(limit)"
        case .missingBinaryFrames(let command, let expected, let found):
            return "\(command): needs \(expected) binary frame(s), got \(found)"
        case .unexpectedBinaryFrames(let command, let expected, let found):
            return "\(command): takes \(expected) binary frame(s), got \(found)"
        case .unsupportedFields(let command, let fields):
            return "\(command): this coordinator does not know required field(s) \(fields.joined(separator: ", ")); "
                + "it would have ignored them, so nothing was made: upgrade farm-coordinator"
        }
    }

    static func twoDigits(_ n: Int) -> String { n < 10 && n >= 0 ? "0\(n)" : "\(n)" }
}
