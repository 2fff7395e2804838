/// ERROR's body, either direction. Its layout is frozen across protocol versions, and parsers accept
/// ERROR under any "FARMnn" header, so a peer of another version still learns why it was refused.
public struct ErrorReply: Codable, Sendable, Equatable {
    public var code: ErrorCode
    /// What went wrong and where, for a person.
    public var message: String
    /// The command that caused it, when known.
    public var command: String?
    /// Protocol versions the sender speaks (set on `version_mismatch`).
    public var supportedVersions: [Int]?

    public init(code: ErrorCode, message: String, command: String? = nil, supportedVersions: [Int]? = nil) {
        self.code = code
        self.message = message
        self.command = command
        self.supportedVersions = supportedVersions
    }

    /// The reply to a message that failed to parse.
    public init(_ error: ProtocolError, command: String? = nil) {
        self.init(code: error.code, message: error.description, command: command,
                  supportedVersions: error.code == .versionMismatch ? [ProtocolVersion.current] : nil)
    }
}

/// DISCONNECT's body, either direction: the sender is leaving (worker drained on SIGTERM) or
/// sending the peer away (coordinator shutting down).
public struct Disconnect: Codable, Sendable, Equatable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}
