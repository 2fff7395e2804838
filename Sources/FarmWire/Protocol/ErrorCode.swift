/// The ERROR body's machine-readable code. Open-ended (a struct, not an enum) so a peer that meets a
/// code added by a newer build still parses the reply and shows its message.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    // Framing and parsing (ProtocolError.code).
    public static let malformedMessage = ErrorCode(rawValue: "malformed_message")
    public static let versionMismatch = ErrorCode(rawValue: "version_mismatch")
    public static let unknownCommand = ErrorCode(rawValue: "unknown_command")
    public static let badRequest = ErrorCode(rawValue: "bad_request")
    public static let frameTooLarge = ErrorCode(rawValue: "frame_too_large")
    // Requests that parse but cannot be served.
    /// Backend resolution failed, a name escapes the logs root, a schedule is invalid…
    public static let invalidJob = ErrorCode(rawValue: "invalid_job")
    /// SUBMIT's `required_fields` names fields this build does not know; nothing was made.
    public static let unsupportedField = ErrorCode(rawValue: "unsupported_field")
    public static let notFound = ErrorCode(rawValue: "not_found")
    /// The request's CURVE key may not do this (cancel a job another key submitted).
    public static let forbidden = ErrorCode(rawValue: "forbidden")
    public static let uploadIncomplete = ErrorCode(rawValue: "upload_incomplete")
    /// SUBMIT would pass what the farm holds at once (all clients, or this client key): nothing was
    /// made; submit again when some clips finish.
    public static let queueFull = ErrorCode(rawValue: "queue_full")
    /// FETCH_CLIP of a clip that is not done (queued, rendering, failed or cancelled); the message says which.
    public static let notReady = ErrorCode(rawValue: "not_ready")
    /// A worker the coordinator does not know (no READY since its last loss): send READY again.
    public static let notRegistered = ErrorCode(rawValue: "not_registered")
    public static let `internal` = ErrorCode(rawValue: "internal")

    /// Every code this build sends.
    public static let known: [ErrorCode] = [
        .malformedMessage, .versionMismatch, .unknownCommand, .badRequest, .frameTooLarge, .invalidJob, .unsupportedField,
        .notFound, .forbidden, .uploadIncomplete, .queueFull, .notReady, .notRegistered, .internal,
    ]
}
